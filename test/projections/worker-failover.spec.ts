import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventEnvelope } from '@ledger/domain';
import { iterateAll, SqliteEventStore } from '@ledger/event-store';
import { systemClock, type ReadModelDb } from '@ledger/platform';
import { ALL_PROJECTIONS, physicalName, ProjectionRunner, readCheckpoints } from '@ledger/projections';
import { buildOnce } from '../support/server-process';
import { createTestReadModel, dumpTables, type TestReadModel } from './support/read-models';
import { recordSeedScenario } from './support/scenario';
import { startWorkerProcess, until, type WorkerProcess } from './support/worker-process';

const TABLES = ALL_PROJECTIONS.flatMap((p) => p.tables.map((t) => physicalName(t.name)));
const SOURCE = { publication: 'test' };

/**
 * Two ledger-worker processes on one PostgreSQL read model and one SQLite log. The leader
 * is killed (SIGKILL) while events keep arriving; the other must take over within seconds,
 * and the tables must come out exactly as a rebuild from zero builds them.
 */
describe('ledger-worker failover on PostgreSQL', () => {
  let model: TestReadModel;
  let views: ReadModelDb;
  let dir: string;
  let store: SqliteEventStore;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    buildOnce();
    model = await createTestReadModel('postgres');
    views = await model.open();
    dir = mkdtempSync(join(tmpdir(), 'ledger-failover-'));
    store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite'), pollIntervalMs: 20 });
  }, 300_000);

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await Promise.all(workers.map((w) => w.exited));
    await store.close();
    await views.close();
    await model.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const leaderOf = () => workers.find((w) => w.child.exitCode === null && w.child.signalCode === null && /projector lease acquired/.test(w.output()));
  const positions = async () => [...(await readCheckpoints(views.db)).values()].filter((c) => !c.name.endsWith('__next')).map((c) => c.position);

  test('killing the leader mid-stream hands over within seconds; nothing applied twice or skipped; each deadline lapses once', async () => {
    const env = {
      LEDGER_DATA_DIR: dir,
      LEDGER_READ_MODEL: 'postgres',
      DATABASE_URL: model.url!,
      LEDGER_DEADLINE_CHECK_MS: '100',
    };
    const scenario = await recordSeedScenario(store, systemClock);
    workers.push(startWorkerProcess(env));
    const first = await until(leaderOf, 'a leader');
    workers.push(startWorkerProcess(env));
    await until(() => /ledger-worker running/.test(workers[1].output()), 'the second worker');

    // Events keep arriving, including deadlines already past (they lapse at once): at least
    // `total` jurisdictions, and on until the standby has taken over, so that the handover
    // always happens mid-stream however fast the appends run next to the workers.
    const total = 600;
    let appended = 0;
    let handedOver = false;
    const appending = (async () => {
      for (let i = 0; i < total || !handedOver; i++) {
        const id = `town-${i}`;
        await scenario.recorder.record({ type: 'JurisdictionRegistered', streamId: `jurisdiction-${id}`, data: { name: `Town ${i}`, kind: 'city', state: 'WI' } }, { recordedBy: 'test' });
        await scenario.recorder.record(
          { type: 'LetterSent', streamId: `jurisdiction-${id}`, occurredAt: '2018-01-24', source: SOURCE, data: { letterId: 'l1', from: 'organization:us-doj', subject: 's', demands: ['d'], threats: ['subpoena'] } },
          { recordedBy: 'test' },
        );
        if (i % 40 === 0) {
          await scenario.recorder.record(
            { type: 'DeadlineSet', streamId: `jurisdiction-${id}`, occurredAt: '2018-01-24', source: SOURCE, data: { deadlineId: 'd1', letterId: 'l1', dueAt: '2018-02-23', requirement: 'r' } },
            { recordedBy: 'test' },
          );
        }
        appended = i + 1;
      }
    })();

    // Kill the leader once it has applied part of the stream, while appends continue.
    await until(async () => appended > total / 3 && Math.min(...(await positions())) > scenario.position, 'the leader to be mid-stream', 60_000);
    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await until(leaderOf, 'the standby to take over', 15_000);
    const handoverMs = Date.now() - killedAt;
    const appendedAtHandover = appended;
    handedOver = true;
    expect(second).not.toBe(first);
    expect(handoverMs).toBeLessThan(10_000);

    await appending;
    expect(appended).toBeGreaterThan(appendedAtHandover); // events kept arriving across the handover
    const expectedLapses = 4 + Math.ceil(appended / 40);
    await until(async () => (await store.readAll({ types: ['DeadlineLapsed'] })).length >= expectedLapses, 'every past deadline to lapse', 60_000);
    // Both workers' watchers ran; let them try again before counting.
    await new Promise((r) => setTimeout(r, 500));
    const head = await store.headPosition();
    await until(async () => Math.min(...(await positions())) === head, 'the new leader to reach the head', 60_000);

    const log: EventEnvelope[] = [];
    for await (const e of iterateAll(store)) log.push(e);
    const lapses = log.filter((e) => e.type === 'DeadlineLapsed');
    expect(lapses).toHaveLength(expectedLapses);
    expect(new Set(lapses.map((e) => `${e.streamId}/${e.data.deadlineId}`)).size).toBe(expectedLapses);
    expect(lapses.every((e) => e.metadata.recordedBy === 'system')).toBe(true);

    // Every event exactly once in the timeline, and counted once per type.
    const timeline = await views.db.selectFrom(physicalName('timeline')).select('position').orderBy('position').execute();
    expect(timeline.map((r) => Number(r.position))).toEqual(log.map((e) => e.position));
    const counted = await views.db.selectFrom(physicalName('stats_types')).select(['type', 'total']).execute();
    const byType: Record<string, number> = {};
    for (const e of log) byType[e.type] = (byType[e.type] ?? 0) + 1;
    expect(Object.fromEntries(counted.map((r) => [r.type, Number(r.total)]))).toEqual(byType);

    // And every table equals a rebuild from zero.
    const fresh = await createTestReadModel('postgres');
    const db = await fresh.open();
    try {
      const runner = new ProjectionRunner(store, db, { rebuildPollMs: 0 });
      await runner.start();
      await runner.waitFor(head);
      await runner.stop();
      const rebuilt = await dumpTables(db, TABLES);
      const failedOver = await dumpTables(views, TABLES);
      for (const table of TABLES) expect({ table, rows: failedOver[table] }).toEqual({ table, rows: rebuilt[table] });
    } finally {
      await db.close();
      await fresh.drop();
    }
    process.stdout.write(`failover: handover ${handoverMs} ms after SIGKILL, ${log.length} events, ${lapses.length} lapses\n`);
  }, 240_000);
});
