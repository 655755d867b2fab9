import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import { ManualClock, type ReadModelDb } from '@ledger/platform';
import {
  ALL_PROJECTIONS,
  DeadlineWatcher,
  jurisdictionsProjection,
  lacksIndexes,
  parseJurisdictionList,
  physicalName,
  ProjectionQueries,
  ProjectionRunner,
  readCheckpoints,
  type Projection,
} from '@ledger/projections';
import { createTestReadModel, dumpTables, READ_MODEL_KINDS, type TestReadModel } from './support/read-models';
import { recordSeedScenario, type Scenario } from './support/scenario';

const TABLES = ALL_PROJECTIONS.flatMap((p) => p.tables.map((t) => physicalName(t.name)));

describe.each(READ_MODEL_KINDS)('rebuilding projections in %s', (kind) => {
  let dir: string;
  let store: SqliteEventStore;
  let model: TestReadModel;
  let writer: ReadModelDb;
  let scenario: Scenario;
  let liveBuilt: Record<string, unknown[]>;
  const clock = new ManualClock(new Date('2018-01-24T18:00:00Z'));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-rebuild-'));
    store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite'), clock: () => clock.now(), pollIntervalMs: 20 });
    model = await createTestReadModel(kind);
    writer = await model.open();
    // Built live: the runner follows while the scenario is recorded event by event.
    const runner = new ProjectionRunner(store, writer, { rebuildPollMs: 0 });
    await runner.start();
    scenario = await recordSeedScenario(store, clock);
    // A retracted correction: its effect must disappear too.
    const undo = await scenario.recorder.record(
      { type: 'EventRetracted', streamId: 'official-kirstjen-nielsen', data: { targetEventId: scenario.ids['correct-venue'], reason: 'the hearing record says Capital' } },
      { recordedBy: 'test' },
    );
    clock.set('2018-03-01T00:00:00Z');
    const watcher = new DeadlineWatcher(store, scenario.recorder, clock);
    await watcher.start();
    const lapses = await watcher.tick();
    await watcher.stop();
    await runner.waitFor(Math.max(undo.position, ...lapses.map((l) => l.position)));
    await runner.stop();
    liveBuilt = await dumpTables(writer, TABLES);
  });

  afterAll(async () => {
    await writer.close();
    await store.close();
    await model.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the live-built tables hold what the scenario says, including a retracted correction', async () => {
    expect(liveBuilt[physicalName('timeline')]).toHaveLength((await store.readAll()).length);
    const queries = new ProjectionQueries(writer);
    const nielsen = await queries.getOfficial('kirstjen-nielsen');
    expect(nielsen?.statements?.[0]).toMatchObject({ venue: 'Capital Hill', corrected: false });
    expect(nielsen?.name).toBe('Kirstjen Nielsen');
  });

  test('a rebuild from zero into a fresh database yields identical rows, table by table', async () => {
    const fresh = await createTestReadModel(kind);
    const db = await fresh.open();
    try {
      const runner = new ProjectionRunner(store, db, { rebuildPollMs: 0, pageSize: 7, flushEvery: 20 });
      await runner.start();
      await runner.waitFor(await store.headPosition());
      await runner.stop();
      const rebuilt = await dumpTables(db, TABLES);
      for (const table of TABLES) expect({ table, rows: rebuilt[table] }).toEqual({ table, rows: liveBuilt[table] });
      // Tables filled from empty get their secondary indexes once caught up.
      for (const projection of ALL_PROJECTIONS) for (const spec of projection.tables) expect({ table: spec.name, lacks: await lacksIndexes(db.db, db.dialect, spec, 'live') }).toEqual({ table: spec.name, lacks: false });
    } finally {
      await db.close();
      await fresh.drop();
    }
  });

  test('an on-demand rebuild swaps in identical tables', async () => {
    const runner = new ProjectionRunner(store, writer, { rebuildPollMs: 0, pageSize: 10 });
    await runner.start();
    await runner.rebuild();
    expect(runner.status().every((s) => s.rebuilding === null)).toBe(true);
    await runner.waitFor(await store.headPosition());
    await runner.stop();
    const after = await dumpTables(writer, TABLES);
    for (const table of TABLES) expect({ table, rows: after[table] }).toEqual({ table, rows: liveBuilt[table] });
    const shadows = await writer.db.introspection.getTables();
    expect(shadows.filter((t) => t.name.endsWith('__next'))).toEqual([]);
  });

  test('a new version is built into shadow tables while queries read the old ones, then swapped in', async () => {
    const head = await store.headPosition();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let blocked = false;
    // Holds the rebuild halfway, so that we can look at what queries see meanwhile.
    const gated: EventStore = Object.assign(Object.create(store) as EventStore, {
      readAll: async (options: { after?: number }) => {
        const after = options.after ?? -1;
        if (after > 20 && after < head) {
          blocked = true;
          await gate;
        }
        return store.readAll(options);
      },
    });
    const v2: Projection = { ...jurisdictionsProjection, version: jurisdictionsProjection.version + 1 };
    const projections = ALL_PROJECTIONS.map((p) => (p.name === 'jurisdictions' ? v2 : p));
    const runner = new ProjectionRunner(gated, writer, { projections, rebuildPollMs: 0, pageSize: 10, flushEvery: 10 });
    await runner.start();
    const queries = new ProjectionQueries(writer);
    while (!blocked) await new Promise((r) => setTimeout(r, 10));
    expect(runner.status().find((s) => s.name === 'jurisdictions')?.rebuilding).toMatchObject({ version: v2.version });
    expect((await readCheckpoints(writer.db)).get('jurisdictions')).toMatchObject({ version: jurisdictionsProjection.version, position: head });
    expect((await queries.listJurisdictions(parseJurisdictionList({}))).items).toHaveLength(7);
    release();
    while (runner.status().find((s) => s.name === 'jurisdictions')?.rebuilding) await new Promise((r) => setTimeout(r, 10));
    expect((await readCheckpoints(writer.db)).get('jurisdictions')).toMatchObject({ version: v2.version, position: head });
    await runner.stop();
    const after = await dumpTables(writer, TABLES);
    for (const table of TABLES) expect({ table, rows: after[table] }).toEqual({ table, rows: liveBuilt[table] });
    expect((await queries.getJurisdiction('chicago-il'))?.status).toBe('overdue');
  });
});
