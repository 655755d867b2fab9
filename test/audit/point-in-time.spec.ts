import type { EventEnvelope } from '@ledger/domain';
import { readDatasetText } from '@ledger/datasets';
import { iterateAll, SqliteEventStore } from '@ledger/event-store';
import { ManualClock, openSqliteReadModel } from '@ledger/platform';
import { ProjectionQueries, ProjectionRunner } from '@ledger/projections';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestLedger, type TestLedger } from '../support/app';

/**
 * Point-in-time views (asOf = valid time, knownAt = record time) against a fresh projection
 * of exactly the selected events: for each of 20 random cut points, the events the cut
 * selects are copied (same ids, content and record times) into a brand-new log, the real
 * projection runner builds its tables from them, and every single view the API answers
 * for the cut must equal the view those tables give.
 */

const REGISTRATIONS = new Set(['JurisdictionRegistered', 'OrganizationRegistered', 'OfficialRegistered', 'MeetingScheduled']);
const FIXES = new Set(['CorrectionRecorded', 'EventRetracted']);
const DAY = 24 * 3600 * 1000;

interface Cut {
  asOf?: string;
  knownAt?: string;
}

/** Start of the period an ISO date or instant names (a bare day starts at 00:00 UTC). */
const startOf = (t: string): number => Date.parse(t.includes('T') ? t : `${t}T00:00:00Z`);
/** First instant after the period: a bare day lasts until the next midnight, an instant is itself. */
const endOf = (t: string): number => (t.includes('T') ? Date.parse(t) + 1 : startOf(t) + DAY);

/**
 * The selection, from the documented rules: knownAt keeps what was recorded by then
 * (inclusive); asOf keeps what had happened by then — a day-precision event from the start
 * of its day — except registrations (they describe the entity) and corrections and
 * retractions (they fix the record, so only record time applies to them).
 */
function select(events: EventEnvelope[], cut: Cut): EventEnvelope[] {
  return events.filter((e) => {
    if (cut.knownAt !== undefined && Date.parse(e.recordedAt) >= endOf(cut.knownAt)) return false;
    if (cut.asOf === undefined || REGISTRATIONS.has(e.type) || FIXES.has(e.type)) return true;
    return startOf(e.occurredAt) < endOf(cut.asOf);
  });
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Replaces every `position` (the fresh log's numbering) with the original log's. */
function renumber(value: unknown, positions: Map<number, number>): unknown {
  if (Array.isArray(value)) return value.map((v) => renumber(v, positions));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === 'position' && typeof v === 'number' ? (positions.get(v) ?? `unknown ${v}`) : renumber(v, positions)]),
  );
}

describe('point-in-time views equal a fresh projection of exactly the selected events', () => {
  let ledger: TestLedger;
  let events: EventEnvelope[];
  const clock = new ManualClock(new Date('2018-01-24T20:00:00Z'));
  const ids = { jurisdictions: [] as string[], officials: [] as string[], organizations: [] as string[], meetings: [] as string[] };

  const post = async (url: string, body: unknown, at: string): Promise<{ eventId: string }> => {
    clock.set(at);
    const res = await ledger.inject({ method: 'POST', url, payload: body as never });
    if (res.statusCode !== 201) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
    return JSON.parse(res.body);
  };
  const source = { publication: 'Test Gazette' };

  beforeAll(async () => {
    ledger = await startTestLedger({ clock });
    // the dataset, in chunks an hour apart, so record times spread out
    const lines = readDatasetText().trimEnd().split('\n');
    for (let i = 0; i < lines.length; i += 12) {
      const res = await ledger.inject({ method: 'POST', url: '/v1/import', headers: { 'content-type': 'application/x-ndjson' }, payload: lines.slice(i, i + 12).join('\n') });
      expect(res.statusCode).toBe(200);
      clock.advance(3600_000);
    }
    // then weeks of follow-up, at minute and second precision, with fixes recorded later
    const s1 = await post('/v1/officials/jeff-sessions/statements', { statementId: 'sessions-2018-01-25', channel: 'interview', quote: 'They will comply.', about: ['jurisdiction:chicago-il', 'jurisdiction:new-york-city-ny'], occurredAt: '2018-01-25T09:30Z', source }, '2018-01-25T10:00:00Z');
    const r1 = await post('/v1/jurisdictions/chicago-il/responses', { letterId: 'doj-2018-01-24', completeness: 'partial', summary: 'Some records.', occurredAt: '2018-01-26', source }, '2018-01-26T18:00:00Z');
    await post('/v1/jurisdictions/cook-county-il/responses', { letterId: 'doj-2018-01-24', completeness: 'refused', summary: 'No.', occurredAt: '2018-01-29T11:00Z', source }, '2018-01-29T12:00:00Z');
    await post('/v1/jurisdictions/denver-co/subpoenas', { by: 'organization:us-doj', subject: 'Records of inmates released.', occurredAt: '2018-02-01', source }, '2018-02-01T09:00:00Z');
    const s2 = await post('/v1/officials/bill-de-blasio/statements', { statementId: 'de-blasio-2018-02-02', channel: 'press-statement', quote: 'We will not be intimidated.', about: ['jurisdiction:new-york-city-ny'], occurredAt: '2018-02-02T15:45:10Z', source }, '2018-02-02T16:00:00Z');
    await post(`/v1/events/${s1.eventId}/corrections`, { changes: [{ path: 'occurredAt', from: '2018-01-25T09:30Z', to: '2018-01-24T22:00Z' }], reason: 'The interview aired the evening before.' }, '2018-02-05T10:00:00Z');
    await post(`/v1/events/${r1.eventId}/corrections`, { changes: [{ path: 'data.summary', from: 'Some records.', to: 'Some records, with redactions.' }], reason: 'Fuller report.' }, '2018-02-06T10:00:00Z');
    await post(`/v1/events/${s2.eventId}/retractions`, { reason: 'Misattributed.' }, '2018-02-07T10:00:00Z');
    await post('/v1/jurisdictions/state-of-california/responses', { letterId: 'doj-2018-01-24', completeness: 'complete', summary: 'All records.', occurredAt: '2018-02-08', source }, '2018-02-09T10:00:00Z');
    await post('/v1/jurisdictions', { id: 'austin-tx', name: 'City of Austin', kind: 'city', state: 'TX', occurredAt: '2018-02-14' }, '2018-02-14T08:00:00Z');
    await post('/v1/jurisdictions/austin-tx/letters', { letterId: 'doj-2018-02-14', from: 'organization:us-doj', subject: 'Compliance with 8 U.S.C. 1373', demands: ['Records'], threats: ['subpoena'], occurredAt: '2018-02-14', source }, '2018-02-14T09:00:00Z');
    const boycott = JSON.parse((await ledger.inject({ method: 'GET', url: '/v1/timeline?type=BoycottDeclared&limit=1' })).body).items[0];
    await post(`/v1/events/${boycott.eventId}/retractions`, { reason: 'He attended after all.' }, '2018-02-15T10:00:00Z');

    events = [];
    for await (const e of iterateAll(ledger.store)) events.push(e);
    for (const e of events.filter((x) => REGISTRATIONS.has(x.type))) {
      const [kind, ...rest] = e.streamId.split('-');
      ids[`${kind}s` as keyof typeof ids].push(rest.join('-'));
    }
  }, 120_000);
  afterAll(() => ledger.dispose());

  /** The view the API serves for a cut (null for 404). */
  async function served(path: string, cut: Cut, head: number): Promise<unknown> {
    const query = new URLSearchParams({ ...(cut as Record<string, string>), minPosition: String(head) });
    const res = await ledger.inject({ method: 'GET', url: `${path}?${query}` });
    if (res.statusCode === 404) return null;
    if (res.statusCode !== 200) throw new Error(`${path}?${query}: ${res.statusCode} ${res.body}`);
    return JSON.parse(res.body);
  }

  /** A brand-new log holding exactly `selected`, projected by the real runner. */
  async function freshProjection(selected: EventEnvelope[]) {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-pit-'));
    const recordTimes = selected.map((e) => e.recordedAt);
    let next = 0;
    // the store asks its clock once per append, in order: hand it each event's own record time
    const store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite'), clock: () => new Date(recordTimes[next++]), pollIntervalMs: 20 });
    const results = await Promise.all(
      selected.map((e) =>
        store.append(e.streamId, [{ eventId: e.eventId, type: e.type, occurredAt: e.occurredAt, occurredAtPrecision: e.occurredAtPrecision, data: e.data, metadata: e.metadata }]),
      ),
    );
    const positions = new Map<number, number>();
    results.forEach((r, i) => {
      expect(r.events[0].recordedAt).toBe(selected[i].recordedAt);
      positions.set(r.position, selected[i].position);
    });
    const readModel = openSqliteReadModel(join(dir, 'views.sqlite'));
    const runner = new ProjectionRunner(store, readModel, { rebuildPollMs: 0 });
    await runner.start();
    if (results.length) await runner.waitFor(results[results.length - 1].position);
    return {
      queries: new ProjectionQueries(readModel),
      positions,
      close: async () => {
        await runner.stop();
        await readModel.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  function cutPoints(n: number): Cut[] {
    const rnd = random(20180124);
    const firstRecord = Date.parse(events[0].recordedAt);
    const lastRecord = Date.parse(events[events.length - 1].recordedAt);
    const instant = (from: number, to: number) => new Date(from + Math.floor(rnd() * (to - from))).toISOString();
    const day = (from: number, to: number) => instant(from, to).slice(0, 10);
    const recordTime = () => {
      const r = rnd();
      if (r < 0.3) return events[Math.floor(rnd() * events.length)].recordedAt; // exactly on an event: inclusive?
      return r < 0.5 ? day(firstRecord, lastRecord + DAY) : instant(firstRecord, lastRecord + 3600_000);
    };
    const validTime = () => (rnd() < 0.5 ? day(Date.parse('2018-01-01'), Date.parse('2018-02-17')) : instant(Date.parse('2018-01-15'), Date.parse('2018-02-17')));
    const cuts: Cut[] = [];
    for (let i = 0; i < n; i++) {
      const kind = i % 3;
      cuts.push(kind === 0 ? { asOf: validTime() } : kind === 1 ? { knownAt: recordTime() } : { asOf: validTime(), knownAt: recordTime() });
    }
    return cuts;
  }

  it('holds for 20 random cut points (asOf, knownAt and both), for every entity and the stats', async () => {
    const head = events[events.length - 1].position;
    const cuts = cutPoints(20);
    let compared = 0;
    for (const cut of cuts) {
      const selected = select(events, cut);
      const fresh = await freshProjection(selected);
      try {
        const check = async (path: string, expected: unknown) => {
          const actual = await served(path, cut, head);
          expect({ cut, path, view: actual }).toEqual({ cut, path, view: renumber(expected, fresh.positions) });
          compared += 1;
        };
        for (const id of ids.jurisdictions) {
          const view = await fresh.queries.getJurisdiction(id);
          await check(`/v1/jurisdictions/${id}`, view && { ...view, statementCount: undefined });
        }
        for (const id of ids.officials) await check(`/v1/officials/${id}`, await fresh.queries.getOfficial(id));
        for (const id of ids.organizations) await check(`/v1/organizations/${id}`, await fresh.queries.getOrganization(id));
        for (const id of ids.meetings) await check(`/v1/meetings/${id}`, await fresh.queries.getMeeting(id));
        await check('/v1/stats', await fresh.queries.getStats());
      } finally {
        await fresh.close();
      }
    }
    expect(compared).toBe(20 * (ids.jurisdictions.length + ids.officials.length + ids.organizations.length + ids.meetings.length + 1));
  }, 300_000);

  it('the cuts are not trivial: they select different numbers of events', () => {
    const sizes = new Set(cutPoints(20).map((cut) => select(events, cut).length));
    expect(sizes.size).toBeGreaterThan(10);
  });
  it.each(['asOf=yesterday', 'asOf=2018-13-01', 'knownAt=2018-01-24T10:00', 'knownAt=2018-01-24T25:00Z', 'asOf=2018-01-24&asOf=2018-01-25'])(
    'refuses %s with a 400 problem',
    async (query) => {
      for (const path of ['/v1/jurisdictions/chicago-il', '/v1/officials/jeff-sessions', '/v1/organizations/us-doj', '/v1/meetings/wh-mayors-2018-01-24', '/v1/stats']) {
        const res = await ledger.inject({ method: 'GET', url: `${path}?${query}` });
        expect([path, res.statusCode, String(res.headers['content-type'])]).toEqual([path, 400, expect.stringMatching(/application\/problem\+json/)]);
        expect(JSON.parse(res.body).errors[0].field).toBe(query.split('=')[0]);
      }
    },
  );

  it('answers 404 for an entity the ledger did not know yet', async () => {
    const res = await ledger.inject({ method: 'GET', url: '/v1/jurisdictions/austin-tx?knownAt=2018-02-13' });
    expect([res.statusCode, JSON.parse(res.body).code]).toEqual([404, 'JURISDICTION.NOT_FOUND']);
    expect((await ledger.inject({ method: 'GET', url: '/v1/jurisdictions/austin-tx?knownAt=2018-02-14' })).statusCode).toBe(200);
  });
});
