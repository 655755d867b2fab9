import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEnvelope } from '@ledger/domain';
import { SqliteEventStore, iterateAll } from '@ledger/event-store';
import { ManualClock, type ReadModelDb } from '@ledger/platform';
import {
  computeStats,
  DeadlineWatcher,
  foldJurisdiction,
  foldMeeting,
  foldOfficial,
  parseJurisdictionList,
  parseOfficialList,
  ProjectionQueries,
  ProjectionRunner,
  queryTimeline,
  type JurisdictionSummary,
} from '@ledger/projections';
import { createTestReadModel, READ_MODEL_KINDS, type TestReadModel } from './support/read-models';
import { recordSeedScenario, type Scenario } from './support/scenario';

describe.each(READ_MODEL_KINDS)('the seed scenario projected into %s', (kind) => {
  let model: TestReadModel;
  let dir: string;
  let store: SqliteEventStore;
  let writer: ReadModelDb;
  let reader: ReadModelDb;
  let runner: ProjectionRunner;
  let queries: ProjectionQueries;
  let scenario: Scenario;
  const clock = new ManualClock(new Date('2018-01-24T18:00:00Z'));

  const all = async (): Promise<EventEnvelope[]> => {
    const events: EventEnvelope[] = [];
    for await (const e of iterateAll(store)) events.push(e);
    return events;
  };
  const list = (query: Record<string, string>) => queries.listJurisdictions(parseJurisdictionList(query));
  const byId = (items: JurisdictionSummary[]) => Object.fromEntries(items.map((j) => [j.id, j]));

  beforeAll(async () => {
    model = await createTestReadModel(kind);
    dir = mkdtempSync(join(tmpdir(), 'ledger-seed-'));
    store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite'), clock: () => clock.now(), pollIntervalMs: 20 });
    writer = await model.open();
    reader = await model.open();
    runner = new ProjectionRunner(store, writer, { rebuildPollMs: 0 });
    await runner.start();
    scenario = await recordSeedScenario(store, clock);
    await runner.waitFor(scenario.position);
    queries = new ProjectionQueries(reader);
  });

  afterAll(async () => {
    await runner.stop();
    await writer.close();
    await reader.close();
    await store.close();
    await model.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('before any deadline passed', () => {
    test('every jurisdiction has its status, letters, deadlines and threats', async () => {
      const { items, nextCursor } = await list({});
      expect(nextCursor).toBeNull();
      const j = byId(items);
      expect(Object.keys(j).sort()).toEqual(['chicago-il', 'cook-county-il', 'denver-co', 'los-angeles-ca', 'new-york-city-ny', 'philadelphia-pa', 'state-of-california']);
      expect(Object.fromEntries(items.map((i) => [i.id, i.status]))).toEqual({
        'chicago-il': 'awaiting-response',
        'cook-county-il': 'partial',
        'denver-co': 'responded',
        'los-angeles-ca': 'awaiting-response',
        'new-york-city-ny': 'awaiting-response',
        'philadelphia-pa': 'no-letter',
        'state-of-california': 'awaiting-response',
      });
      expect(j['chicago-il']).toMatchObject({ name: 'City of Chicago', kind: 'city', state: 'IL', lettersReceived: 1, openDeadlines: 1, lapsedDeadlines: 0, nextDeadlineAt: '2018-02-23', lastActivityAt: '2018-01-24' });
      expect(j['chicago-il'].subpoenaThreats).toEqual([
        expect.objectContaining({ by: 'organization:us-doj', at: '2018-01-24', via: 'threat', condition: expect.stringContaining('fails to respond') }),
        expect.objectContaining({ by: 'organization:us-doj', at: '2018-01-24', via: 'letter', letterId: 'doj-2018-01-24' }),
      ]);
      expect(j['chicago-il'].fundingThreats).toEqual([]);
      expect(j['denver-co']).toMatchObject({ openDeadlines: 0, nextDeadlineAt: null, lastActivityAt: '2018-01-31' });
      expect(j['denver-co']).not.toHaveProperty('letters'); // lists carry summaries
      const denver = await queries.getJurisdiction('denver-co');
      expect(denver?.deadlines.map((d) => d.status)).toEqual(['met']);
      expect(denver?.letters[0]).toMatchObject({ letterId: 'doj-2018-01-24', status: 'responded', response: { completeness: 'complete', at: '2018-01-31' } });
      expect(j['philadelphia-pa']).toMatchObject({ lettersReceived: 0, openDeadlines: 0, subpoenaThreats: [], lastActivityAt: null });
    });

    test('a retracted letter no longer counts', async () => {
      const california = await queries.getJurisdiction('state-of-california');
      expect(california?.lettersReceived).toBe(1);
      expect(california?.letters.map((l) => l.letterId)).toEqual(['doj-2018-01-24']);
      expect(california?.lastActivityAt).toBe('2018-01-24');
      expect(california?.fundingThreats.map((t) => [t.via, t.program ?? null])).toEqual([
        ['threat', 'Byrne JAG'],
        ['letter', null],
      ]);
    });

    test('a corrected name shows corrected, marked, with a link to the correction', async () => {
      const la = await queries.getJurisdiction('los-angeles-ca');
      expect(la).toMatchObject({ name: 'City of Los Angeles', corrected: true, correctedFields: ['name'] });
      expect(la?.corrections).toEqual([
        expect.objectContaining({
          correctionEventId: scenario.ids['correct-la'],
          targetEventId: scenario.ids['jurisdiction-los-angeles-ca'],
          changes: [{ path: 'data.name', from: 'Los Angeles County', to: 'City of Los Angeles' }],
          href: `/v1/events/${scenario.ids['correct-la']}`,
        }),
      ]);
      const nielsen = await queries.getOfficial('kirstjen-nielsen');
      expect(nielsen).toMatchObject({ name: 'Kirstjen Nielsen', corrected: true, correctedFields: ['name'], party: 'unknown' });
      expect(nielsen?.statements?.[0]).toMatchObject({ venue: 'Capitol Hill', corrected: true, correctedFields: ['venue'] });
    });

    test('filters: state, kind, status, threatened, q (on the corrected name)', async () => {
      const ids = async (q: Record<string, string>) => (await list(q)).items.map((i) => i.id);
      expect(await ids({ state: 'IL' })).toEqual(['chicago-il', 'cook-county-il']);
      expect(await ids({ state: 'ca', kind: 'state' })).toEqual(['state-of-california']);
      expect(await ids({ status: 'no-letter' })).toEqual(['philadelphia-pa']);
      expect(await ids({ threatened: 'funding', sort: 'id' })).toEqual(['cook-county-il', 'denver-co', 'los-angeles-ca', 'new-york-city-ny', 'state-of-california']);
      expect(await ids({ threatened: 'subpoena', state: 'CO' })).toEqual(['denver-co']);
      expect(await ids({ q: 'county', sort: 'id' })).toEqual(['cook-county-il', 'denver-co']);
      expect(await ids({ q: 'LOS' })).toEqual(['los-angeles-ca']);
      expect(await ids({ q: '100%' })).toEqual([]);
      expect(await ids({ sort: '-lastActivityAt', limit: '2' })).toEqual(['cook-county-il', 'denver-co']);
    });

    test('statements about a jurisdiction, without the retracted one', async () => {
      const chicago = await queries.getJurisdiction('chicago-il');
      expect(chicago?.statements?.map((s) => [s.speaker, s.statementId])).toEqual([
        ['official:jeff-sessions', 'sessions-2018-01-24'],
        ['official:kirstjen-nielsen', 'nielsen-2018-01-16'],
      ]);
      expect(chicago?.statementCount).toBe(2);
    });

    test('officials: filters by party, organization and boycott', async () => {
      const ids = async (q: Record<string, string>) => (await queries.listOfficials(parseOfficialList(q))).items.map((i) => i.id);
      expect(await ids({ boycotted: 'wh-mayors-2018-01-24', sort: 'id' })).toEqual(['bill-de-blasio', 'elizabeth-kautz', 'eric-garcetti', 'mitch-landrieu', 'rahm-emanuel']);
      expect(await ids({ party: 'republican', sort: 'id' })).toEqual(['elizabeth-kautz', 'jeff-sessions']);
      expect(await ids({ organization: 'us-doj' })).toEqual(['jeff-sessions']);
      expect(await ids({ boycotted: 'wh-mayors-2018-01-24', party: 'republican' })).toEqual(['elizabeth-kautz']);
      const walters = await queries.getOfficial('lindsay-walters');
      expect(walters).toMatchObject({ statementCount: 1, organization: 'white-house' });
      const deBlasio = await queries.getOfficial('bill-de-blasio');
      expect(deBlasio).toMatchObject({ party: 'democratic', jurisdictionId: 'new-york-city-ny', boycotts: [expect.objectContaining({ meetingId: 'wh-mayors-2018-01-24', form: 'boycott' })] });
    });

    test('the meeting counts its boycotts by official and by party', async () => {
      const meeting = await queries.getMeeting('wh-mayors-2018-01-24');
      expect(meeting?.boycotts.map((b) => [b.officialId, b.party])).toEqual([
        ['bill-de-blasio', 'democratic'],
        ['elizabeth-kautz', 'republican'],
        ['eric-garcetti', 'democratic'],
        ['mitch-landrieu', 'democratic'],
        ['rahm-emanuel', 'democratic'],
      ]);
      expect(meeting?.boycottsByParty).toEqual({ democratic: 4, republican: 1 });
      expect(meeting).toMatchObject({ title: 'Working Session With Mayors', host: 'organization:white-house' });
      expect(await queries.getMeeting('no-such-meeting')).toBeNull();
    });

    test('organizations list their officials', async () => {
      const doj = await queries.getOrganization('us-doj');
      expect(doj).toMatchObject({ name: 'U.S. Department of Justice', level: 'federal', officials: [{ id: 'jeff-sessions', party: 'republican' }] });
      expect(await queries.getOrganization('nope')).toBeNull();
    });

    test('stats count by type (retracted excluded), state, party and status', async () => {
      const stats = await queries.getStats();
      expect(stats.events.byType).toMatchObject({ LetterSent: 6, StatementIssued: 3, BoycottDeclared: 5, EventRetracted: 2, CorrectionRecorded: 3, JurisdictionRegistered: 7 });
      expect(stats.events.total).toBe(stats.events.live + 2);
      expect(stats.jurisdictions).toMatchObject({ total: 7, byState: { CA: 2, CO: 1, IL: 2, NY: 1, PA: 1 } });
      expect(stats.jurisdictions.byStatus).toEqual({ 'awaiting-response': 4, 'no-letter': 1, partial: 1, responded: 1 });
      expect(stats.officials).toEqual({ total: 8, byParty: { democratic: 4, republican: 2, unknown: 2 } });
      expect(stats).toMatchObject({ organizations: { total: 3 }, meetings: { total: 1 }, statements: { total: 3 }, boycotts: { total: 5 } });
      expect(computeStats(await all())).toEqual(stats);
    });

    test('the stored views equal the same projections folded in memory', async () => {
      const events = await all();
      for (const id of ['chicago-il', 'los-angeles-ca', 'state-of-california', 'philadelphia-pa']) {
        const { statementCount: _n, ...stored } = (await queries.getJurisdiction(id))!;
        expect(foldJurisdiction(events, id)).toEqual(stored);
      }
      expect(foldOfficial(events, 'kirstjen-nielsen')).toEqual(await queries.getOfficial('kirstjen-nielsen'));
      expect(foldMeeting(events, 'wh-mayors-2018-01-24')).toEqual(await queries.getMeeting('wh-mayors-2018-01-24'));
    });

    test('the timeline index finds events by jurisdiction, actor and type, with links from fixes', async () => {
      const chicago = await queryTimeline(reader, { jurisdiction: 'chicago-il', limit: 100 });
      const types = chicago.items.map((i) => i.type);
      // The correction and the retraction of statements about Chicago carry their targets' references.
      expect(types).toEqual(['JurisdictionRegistered', 'LetterSent', 'DeadlineSet', 'SubpoenaThreatened', 'StatementIssued', 'StatementIssued', 'StatementIssued', 'CorrectionRecorded', 'EventRetracted']);
      const doj = await queryTimeline(reader, { actor: 'organization:us-doj', types: ['FundingThreatened'], limit: 10 });
      expect(doj.items.map((i) => i.streamId)).toEqual(['jurisdiction-state-of-california']);
      const fixes = await queryTimeline(reader, { actor: `event:${scenario.ids['letter-california-dup']}`, limit: 10 });
      expect(fixes.items.map((i) => i.eventId)).toEqual([scenario.ids['retract-dup']]);
      const paged = await queryTimeline(reader, { jurisdiction: 'chicago-il', limit: 3 });
      const next = await queryTimeline(reader, { jurisdiction: 'chicago-il', limit: 3, after: paged.nextAfter! });
      expect([...paged.items, ...next.items].map((i) => i.position)).toEqual(chicago.items.slice(0, 6).map((i) => i.position));
      const ranged = await queryTimeline(reader, { jurisdiction: 'chicago-il', occurredFrom: '2018-01-16', occurredTo: '2018-01-16', limit: 10 });
      expect(ranged.items.map((i) => i.eventId)).toEqual([scenario.ids['statement-nielsen']]);
    });
  });

  describe('after the deadline passed', () => {
    test('the watcher lapses each unanswered deadline once, and the views turn overdue', async () => {
      clock.set('2018-03-01T00:00:00Z');
      const first = new DeadlineWatcher(store, scenario.recorder, clock, { intervalMs: 3_600_000 });
      const second = new DeadlineWatcher(store, scenario.recorder, clock, { intervalMs: 3_600_000 });
      await Promise.all([first.start(), second.start()]);
      const [a, b] = await Promise.all([first.tick(), second.tick()]);
      expect([...a, ...b].filter((l) => l.appended).map((l) => l.streamId).sort()).toEqual([
        'jurisdiction-chicago-il',
        'jurisdiction-los-angeles-ca',
        'jurisdiction-new-york-city-ny',
        'jurisdiction-state-of-california',
      ]);
      await first.stop();
      await second.stop();
      const restarted = new DeadlineWatcher(store, scenario.recorder, clock, { intervalMs: 3_600_000 });
      await restarted.start();
      expect((await restarted.tick()).filter((l) => l.appended)).toEqual([]);
      await restarted.stop();
      const lapses = (await all()).filter((e) => e.type === 'DeadlineLapsed');
      expect(lapses).toHaveLength(4);
      expect(lapses[0]).toMatchObject({ occurredAt: '2018-02-24T00:00:00Z', metadata: { recordedBy: 'system' } });

      await runner.waitFor(lapses[3].position);
      const j = byId((await list({})).items);
      expect(j['chicago-il']).toMatchObject({ status: 'overdue', openDeadlines: 0, lapsedDeadlines: 1, nextDeadlineAt: null });
      expect(j['cook-county-il'].status).toBe('partial');
      expect((await queries.getStats()).jurisdictions.byStatus).toEqual({ 'no-letter': 1, overdue: 4, partial: 1, responded: 1 });
    });
  });
});
