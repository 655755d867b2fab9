import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@ledger/domain';
import type { AppendRequest, EventStore } from '@ledger/event-store';
import { letterData, SOURCE } from './payloads';

/** A small seeded PRNG, so that every run generates the same ledger. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATES = ['CA', 'IL', 'NY', 'TX', 'WA', 'OR', 'CO', 'MA', 'FL', 'NM', 'VT', 'KY', 'MS', 'WI', 'PA'];
const KINDS = ['city', 'county', 'state', 'city-county', 'metro'];
const PARTIES = ['democratic', 'republican', 'independent', 'unknown'];

function event(type: string, data: Record<string, unknown>, occurredAt = '2018-01-24'): NewEvent {
  return { eventId: randomUUID(), type, occurredAt, occurredAtPrecision: 'day', data, metadata: { source: SOURCE, recordedBy: 'bench', schemaVersion: 1 } };
}

interface JurisdictionGen {
  id: string;
  revision: number;
  letters: number;
  lastLetterEvent?: string;
  registrationEvent?: string;
}

/**
 * A ledger shaped like the seed, scaled: about a dozen events per jurisdiction (letters with
 * 1 KB of demands, deadlines, responses, lapses, threats, now and then a correction or a
 * retraction), officials speaking about jurisdictions (a fifth of the log), boycotts of a
 * few meetings. Appended in transactions of interleaved streams, as a busy ledger would be.
 */
export async function generateLedger(store: EventStore, total: number, seed = 42): Promise<{ jurisdictions: number; officials: number }> {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const jurisdictionCount = Math.max(10, Math.round(total / 12));
  const officialCount = Math.max(5, Math.round(total / 400));
  const meetingCount = Math.max(1, Math.round(total / 100_000));
  const jurisdictions: JurisdictionGen[] = Array.from({ length: jurisdictionCount }, (_, i) => ({ id: `town-${i}`, revision: -1, letters: 0 }));
  const officials = Array.from({ length: officialCount }, (_, i) => ({ id: `official-${i}`, revision: -1, boycotted: false }));
  let written = 0;

  const flush = async (requests: AppendRequest[]) => {
    if (requests.length === 0) return;
    await store.appendMany(requests, { atomic: true });
    written += requests.reduce((n, r) => n + r.events.length, 0);
  };

  // Registrations first: meetings, officials, jurisdictions.
  let batch: AppendRequest[] = [];
  for (let m = 0; m < meetingCount; m++) {
    batch.push({ streamId: `meeting-meeting-${m}`, events: [event('MeetingScheduled', { title: `Meeting ${m}`, host: 'organization:white-house', scheduledFor: '2018-01-24' })] });
  }
  for (const o of officials) {
    const n = Number(o.id.slice(9));
    batch.push({ streamId: `official-${o.id}`, events: [event('OfficialRegistered', { name: `Official ${n}`, title: 'Mayor', party: pick(PARTIES), organization: 'uscm' })] });
    o.revision = 0;
    if (batch.length >= 1000) await flush(batch.splice(0));
  }
  for (const j of jurisdictions) {
    const e = event('JurisdictionRegistered', { name: `Town ${j.id.slice(5)}`, kind: pick(KINDS), state: pick(STATES) });
    j.registrationEvent = e.eventId;
    j.revision = 0;
    batch.push({ streamId: `jurisdiction-${j.id}`, events: [e] });
    if (batch.length >= 1000) await flush(batch.splice(0));
  }
  await flush(batch.splice(0));

  // Then the story, in rounds of distinct streams.
  while (written < total) {
    batch = [];
    const used = new Set<string>();
    for (let k = 0; k < 1000 && written + batch.length < total; k++) {
      if (random() < 0.2) {
        const o = pick(officials);
        const streamId = `official-${o.id}`;
        if (used.has(streamId)) continue;
        used.add(streamId);
        const events =
          !o.boycotted && random() < 0.05
            ? [event('BoycottDeclared', { meetingId: `meeting-${Math.floor(random() * meetingCount)}`, reason: 'protest' })]
            : [event('StatementIssued', { statementId: `s-${written}-${k}`, channel: 'press-statement', quote: 'We will not comply with this demand. '.repeat(4), about: [`jurisdiction:${pick(jurisdictions).id}`] })];
        if (events[0].type === 'BoycottDeclared') o.boycotted = true;
        batch.push({ streamId, events });
        continue;
      }
      const j = pick(jurisdictions);
      const streamId = `jurisdiction-${j.id}`;
      if (used.has(streamId)) continue;
      used.add(streamId);
      const events: NewEvent[] = [];
      const r = random();
      if (j.letters === 0 || r < 0.3) {
        j.letters += 1;
        const letter = event('LetterSent', { ...letterData(written), letterId: `l-${j.letters}`, signedBy: 'official:official-0' });
        j.lastLetterEvent = letter.eventId;
        events.push(letter, event('DeadlineSet', { deadlineId: `d-${j.letters}`, letterId: `l-${j.letters}`, dueAt: '2099-02-23', requirement: 'Produce the documents' }));
      } else if (r < 0.55) {
        events.push(event('ResponseReceived', { letterId: `l-${j.letters}`, completeness: pick(['complete', 'partial', 'refused']), summary: 'A response' }, '2018-02-01'));
      } else if (r < 0.7) {
        events.push(event('DeadlineLapsed', { deadlineId: `d-${j.letters}` }, '2018-02-24'));
      } else if (r < 0.85) {
        events.push(event('SubpoenaThreatened', { by: 'organization:us-doj', letterId: `l-${j.letters}`, condition: 'if the records are not produced' }));
      } else if (r < 0.98) {
        events.push(event('FundingThreatened', { by: 'organization:us-doj', program: 'Byrne JAG', condition: 'compliance with 8 U.S.C. 1373' }));
      } else if (r < 0.99 && j.registrationEvent) {
        const name = `Town ${j.id.slice(5)}`;
        events.push(event('CorrectionRecorded', { targetEventId: j.registrationEvent, changes: [{ path: 'data.name', from: name, to: `${name} (corrected)` }], reason: 'spelling' }));
        j.registrationEvent = undefined;
      } else if (j.lastLetterEvent) {
        events.push(event('EventRetracted', { targetEventId: j.lastLetterEvent, reason: 'recorded twice' }));
        j.lastLetterEvent = undefined;
      } else {
        events.push(event('FundingThreatened', { by: 'organization:us-doj', program: 'COPS', condition: 'cooperation' }));
      }
      batch.push({ streamId, events });
    }
    await flush(batch);
  }
  return { jurisdictions: jurisdictionCount, officials: officialCount };
}
