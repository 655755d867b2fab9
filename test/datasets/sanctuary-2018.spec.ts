import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  CONFIDENCE_LEVELS,
  ImportLine,
  PRECISIONS,
  Source,
  decide,
  emptyStream,
  evolve,
  isEventType,
  lapsableDeadlines,
  occurredAtMillis,
  parseStreamId,
  relatedStreams,
  validateAgainst,
  validateEventData,
  type Command,
  type Fact,
  type StreamState,
} from '@ledger/domain';
import { SANCTUARY_2018_PATH, readDatasetLines, type DatasetLine } from '@ledger/datasets';

/**
 * The dataset checked against the domain alone: every line valid, and the whole file accepted
 * by decide() when folded in file order — the order an import appends it in.
 */
const NOW = new Date('2026-01-01T00:00:00Z');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const lines = readDatasetLines();

const toCommand = (line: DatasetLine): Command => ({
  streamId: line.streamId,
  eventId: line.eventId,
  type: line.type,
  occurredAt: line.occurredAt,
  occurredAtPrecision: line.occurredAtPrecision ?? 'day',
  data: line.data,
  metadata: { source: line.metadata.source, confidence: line.metadata.confidence, recordedBy: 'dataset-test', schemaVersion: 1 },
});

/** Folds lines through decide(); throws the first rule a line breaks, with its line number. */
function foldAll(input: readonly DatasetLine[], now = NOW): Map<string, StreamState> {
  const streams = new Map<string, StreamState>();
  const stateOf = (id: string) => streams.get(id) ?? emptyStream(id);
  input.forEach((line, index) => {
    const command = toCommand(line);
    const related = new Map(relatedStreams(command).map((id) => [id, stateOf(id)] as const));
    let events;
    try {
      events = decide(command, { stream: stateOf(line.streamId), related, now });
    } catch (error) {
      throw new Error(`line ${index + 1} (${line.type} ${line.streamId}): ${(error as Error).message}`);
    }
    for (const event of events) streams.set(line.streamId, evolve(stateOf(line.streamId), event));
  });
  return streams;
}

const ofType = (type: string) => lines.filter((l) => l.type === type);
const facts = (state: StreamState | undefined, type: string): Fact[] =>
  (state?.facts ?? []).filter((f) => f.type === type && !f.retracted);

describe('sanctuary-2018 dataset', () => {
  describe('each line', () => {
    it('is an import envelope with a known type, a ledger stream id and a fixed, unique UUID', () => {
      expect(lines.length).toBeGreaterThan(100);
      const ids = new Set<string>();
      for (const line of lines) {
        expect(Object.keys(line).sort()).toEqual(
          ['data', 'eventId', 'metadata', 'occurredAt', 'occurredAtPrecision', 'streamId', 'type'].sort(),
        );
        expect(isEventType(line.type)).toBe(true);
        expect(parseStreamId(line.streamId)).not.toBeNull();
        expect(line.eventId).toMatch(UUID);
        ids.add(line.eventId);
      }
      expect(ids.size).toBe(lines.length);
    });

    it('validates against its data schema, and carries a valid source, precision and confidence', () => {
      const problems = lines.flatMap((line, i) => {
        if (!isEventType(line.type)) return [`line ${i + 1}: unknown type ${line.type}`];
        const errors = [
          ...validateAgainst(ImportLine, line),
          ...validateEventData(line.type, line.data),
          ...validateAgainst(Source, line.metadata.source, 'metadata.source'),
        ];
        return errors.map((e) => `line ${i + 1} ${line.type}: ${e.field} ${e.reasons.join('; ')}`);
      });
      expect(problems).toEqual([]);
      for (const line of lines) {
        expect(Object.keys(line.metadata).every((k) => k === 'source' || k === 'confidence')).toBe(true);
        expect(PRECISIONS).toContain(line.occurredAtPrecision);
        expect(Number.isNaN(occurredAtMillis(line.occurredAt))).toBe(false);
        if (line.metadata.confidence !== undefined) expect(CONFIDENCE_LEVELS).toContain(line.metadata.confidence);
      }
    });

    it('never includes ledger-appended DeadlineLapsed events', () => {
      expect(ofType('DeadlineLapsed')).toHaveLength(0);
    });
  });

  describe('folded in file order', () => {
    // Folded once; a refused line fails here with its line number and the rule's message.
    let streams = new Map<string, StreamState>();
    let jurisdictions: StreamState[] = [];
    beforeAll(() => {
      streams = foldAll(lines);
      jurisdictions = [...streams.values()].filter((s) => s.streamId.startsWith('jurisdiction-'));
    });

    it('every line is accepted by decide()', () => {
      const appended = [...streams.values()].reduce((n, s) => n + s.facts.length, 0);
      expect(appended).toBe(lines.length);
    });

    it('is refused when a letter comes before its jurisdiction is registered (the order matters)', () => {
      const letter = lines.findIndex((l) => l.type === 'LetterSent');
      const registration = lines.findIndex((l) => l.type === 'JurisdictionRegistered' && l.streamId === lines[letter].streamId);
      const swapped = [...lines];
      [swapped[registration], swapped[letter]] = [swapped[letter], swapped[registration]];
      expect(() => foldAll(swapped.slice(0, Math.max(letter, registration) + 1))).toThrow(/not registered/);
    });

    it('has 23 jurisdictions, each with one letter, the 2018-02-23 deadline, a subpoena threat and a funding threat', () => {
      expect(jurisdictions).toHaveLength(23);
      for (const j of jurisdictions) {
        const letters = facts(j, 'LetterSent');
        expect(letters).toHaveLength(1);
        expect(letters[0].occurredAt).toBe('2018-01-24');
        expect(letters[0].data.from).toBe('organization:us-doj');
        const deadlines = facts(j, 'DeadlineSet');
        expect(deadlines.map((d) => [d.data.dueAt, d.data.letterId])).toEqual([['2018-02-23', letters[0].data.letterId]]);
        expect(facts(j, 'SubpoenaThreatened')).toHaveLength(1);
        expect(facts(j, 'FundingThreatened')).toHaveLength(1);
        expect(facts(j, 'ResponseReceived')).toHaveLength(0);
      }
      expect(ofType('LetterSent')).toHaveLength(23);
      expect(ofType('DeadlineSet')).toHaveLength(23);
      expect(ofType('SubpoenaThreatened')).toHaveLength(23);
      expect(ofType('FundingThreatened')).toHaveLength(23);
    });

    it('each deadline lapses for the watcher: due after 2018-02-23 ends, never before', () => {
      for (const j of jurisdictions) {
        expect(lapsableDeadlines(j, new Date('2018-02-23T23:59:59Z'))).toEqual([]);
        expect(lapsableDeadlines(j, NOW)).toEqual([
          { deadlineId: 'doj-2018-01-24-response', letterId: 'doj-2018-01-24', dueAt: '2018-02-23' },
        ]);
      }
      // What the watcher would append is accepted on top of the dataset.
      const chicago = streams.get('jurisdiction-chicago-il')!;
      const lapse: Command = {
        streamId: chicago.streamId,
        eventId: '00000000-0000-4000-8000-000000000001',
        type: 'DeadlineLapsed',
        occurredAt: '2018-02-24',
        occurredAtPrecision: 'day',
        data: { deadlineId: 'doj-2018-01-24-response', letterId: 'doj-2018-01-24', dueAt: '2018-02-23' },
        metadata: { recordedBy: 'system', schemaVersion: 1 },
      };
      expect(decide(lapse, { stream: chicago, related: new Map(), now: NOW })).toHaveLength(1);
    });

    it('has the three states among them: California, Illinois and Oregon', () => {
      const states = jurisdictions.map((j) => facts(j, 'JurisdictionRegistered')[0].data).filter((d) => d.kind === 'state');
      expect(states.map((d) => [d.name, d.state]).sort()).toEqual([
        ['State of California', 'CA'],
        ['State of Illinois', 'IL'],
        ['State of Oregon', 'OR'],
      ]);
    });

    it('gives every jurisdiction a state, including the five the article leaves without one', () => {
      const stateOf = (slug: string) => facts(streams.get(`jurisdiction-${slug}`), 'JurisdictionRegistered')[0]?.data.state;
      expect(['chicago-il', 'new-york-city-ny', 'denver-co', 'los-angeles-ca', 'san-francisco-ca'].map(stateOf)).toEqual([
        'IL',
        'NY',
        'CO',
        'CA',
        'CA',
      ]);
      for (const j of jurisdictions) expect(facts(j, 'JurisdictionRegistered')[0].data.state).toMatch(/^[A-Z]{2}$/);
    });

    it('has the five officials who boycotted or did not attend, with their parties, keeping the two forms apart', () => {
      const absences = ofType('BoycottDeclared').map((l) => {
        const official = facts(streams.get(l.streamId), 'OfficialRegistered')[0].data;
        return [official.name, official.party, l.data.form, l.data.meetingId];
      });
      expect(absences.sort()).toEqual([
        ['Bill de Blasio', 'democratic', 'boycott', 'wh-mayors-2018-01-24'],
        ['Elizabeth Kautz', 'republican', 'boycott', 'wh-mayors-2018-01-24'],
        ['Eric Garcetti', 'democratic', 'non-attendance', 'wh-mayors-2018-01-24'],
        ['Mitch Landrieu', 'democratic', 'boycott', 'wh-mayors-2018-01-24'],
        ['Rahm Emanuel', 'democratic', 'non-attendance', 'wh-mayors-2018-01-24'],
      ]);
    });

    it('has the statements by Sessions, the DOJ, de Blasio, Landrieu, Walters (two) and Nielsen', () => {
      const speakers = ofType('StatementIssued').map((l) => l.streamId);
      expect(speakers.sort()).toEqual([
        'official-bill-de-blasio',
        'official-jeff-sessions',
        'official-kirstjen-nielsen',
        'official-lindsay-walters',
        'official-lindsay-walters',
        'official-mitch-landrieu',
        'organization-us-doj',
      ]);
      const sessions = facts(streams.get('official-jeff-sessions'), 'StatementIssued')[0];
      expect(sessions.data.quote).toContain('enough is enough');
      expect(sessions.metadata.source?.publication).toBe('TheBlaze');
    });

    it('registers the organizations the story involves', () => {
      const names = ofType('OrganizationRegistered').map((l) => l.data.name);
      expect(names.sort()).toEqual([
        'The White House',
        'U.S. Conference of Mayors',
        'U.S. Department of Homeland Security',
        'U.S. Department of Justice',
        'U.S. Immigration and Customs Enforcement',
      ]);
    });

    it('keeps the article’s words in the original events and fixes them by corrections', () => {
      const nielsenRegistration = ofType('OfficialRegistered').find((l) => l.streamId === 'official-kirstjen-nielsen')!;
      expect(nielsenRegistration.data.name).toBe('Kirstjen Nielson');
      const nielsen = streams.get('official-kirstjen-nielsen')!;
      const registered = facts(nielsen, 'OfficialRegistered')[0];
      expect(registered.data.name).toBe('Kirstjen Nielsen');
      expect(registered.correctedBy).toHaveLength(1);

      const statementLine = ofType('StatementIssued').find((l) => l.streamId === 'official-kirstjen-nielsen')!;
      expect(statementLine.data.venue).toBe('Capital Hill');
      expect(statementLine.metadata.source.quote).toContain('Kirstjen Nielson warned lawmakers on Capital Hill');
      expect(facts(nielsen, 'StatementIssued')[0].data.venue).toBe('Capitol Hill');
    });

    it('records the fact-check’s corrections, each in its target’s stream', () => {
      const corrections = ofType('CorrectionRecorded');
      // Nielsen's name, Capitol Hill, her testimony, the 23 letters' quoted demand, the DOJ warning's speaker,
      // Landrieu's wording and channel, Kautz's reason, the meeting's framing.
      expect(corrections).toHaveLength(31);
      const byId = new Map(lines.map((l) => [l.eventId, l]));
      for (const c of corrections) {
        const target = byId.get(String(c.data.targetEventId));
        expect(target?.streamId).toBe(c.streamId);
        expect(lines.indexOf(target!)).toBeLessThan(lines.indexOf(c));
      }
      const kinds = corrections.reduce<Record<string, number>>((acc, c) => ({ ...acc, [String(c.data.kind)]: (acc[String(c.data.kind)] ?? 0) + 1 }), {});
      expect(kinds).toEqual({ spelling: 2, characterisation: 1, attribution: 26, 'quote-wording': 1, framing: 1 });

      const doj = facts(streams.get('organization-us-doj'), 'StatementIssued')[0];
      expect(doj.data.channel).toBe('briefing');
      const landrieu = facts(streams.get('official-mitch-landrieu'), 'StatementIssued')[0];
      expect(landrieu.data.quote).toContain('an attack on everyone in our conference');
      const letter = facts(streams.get('jurisdiction-chicago-il'), 'LetterSent')[0];
      expect(letter.data.demands).toEqual([expect.stringMatching(/^All documents reflecting any orders/)]);
    });

    it('marks with a confidence what FACTS.md marks medium or low', () => {
      const marked = lines
        .filter((l) => l.metadata.confidence)
        .map((l) => `${l.type} ${l.streamId} ${l.metadata.confidence}`);
      expect(marked).toEqual(
        expect.arrayContaining([
          'JurisdictionRegistered jurisdiction-albany-ny medium',
          'JurisdictionRegistered jurisdiction-jackson-ms medium',
          'StatementIssued official-kirstjen-nielsen low',
          'StatementIssued official-lindsay-walters medium',
          'BoycottDeclared official-elizabeth-kautz low',
          'CorrectionRecorded official-elizabeth-kautz low',
        ]),
      );
      expect(marked.every((m) => !m.endsWith(' high'))).toBe(true);
    });

    it('shows Chicago registered but without a letter as of 2018-01-23', () => {
      const asOf = occurredAtMillis('2018-01-23');
      const chicago = lines.filter((l) => l.streamId === 'jurisdiction-chicago-il' && occurredAtMillis(l.occurredAt) <= asOf);
      expect(chicago.map((l) => l.type)).toEqual(['JurisdictionRegistered']);
    });
  });

  it('is exactly what the committed generator builds', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const generator = require(resolve(__dirname, '../../libs/datasets/scripts/build-sanctuary-2018.js')) as {
      buildLines(): unknown[];
      toNdjson(lines: unknown[]): string;
    };
    expect(readFileSync(SANCTUARY_2018_PATH, 'utf8')).toBe(generator.toNdjson(generator.buildLines()));
  });
});
