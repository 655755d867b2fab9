import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { ManualClock, openSqliteReadModel, type ReadModelDb } from '@ledger/platform';
import { ProjectionRunner, readCheckpoints } from '@ledger/projections';
import { Recorder } from '@ledger/recorder';

/**
 * A runner stopped while it is still setting up its tables must not go on to start a
 * lane: nobody would stop that lane, and once the store closed it would retry for ever
 * (a live timer that kept a test process from exiting).
 */
describe('a projection runner stopped while it starts', () => {
  let dir: string;
  let store: SqliteEventStore;
  let writer: ReadModelDb;
  let recorder: Recorder;
  const clock = new ManualClock(new Date('2018-01-24T18:00:00Z'));

  const register = async (id: string) =>
    (await recorder.record({ type: 'JurisdictionRegistered', streamId: `jurisdiction-${id}`, data: { name: id, kind: 'city', state: 'IL' } }, { recordedBy: 'test' }))
      .position;

  const positions = async () => [...(await readCheckpoints(writer.db)).values()].map((c) => c.position);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-runner-'));
    store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite'), clock: () => clock.now(), pollIntervalMs: 10 });
    writer = openSqliteReadModel(join(dir, 'views.sqlite'));
    recorder = new Recorder(store, clock);
  });

  afterEach(async () => {
    await writer.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('projects nothing after it was stopped', async () => {
    const runner = new ProjectionRunner(store, writer, { rebuildPollMs: 0 });
    const starting = runner.start();
    await runner.stop();
    await starting;
    expect(runner.isRunning).toBe(false);
    await register('chicago-il');
    // A lane polls every 10 ms and commits at once when live: give one ample time to act.
    await new Promise((r) => setTimeout(r, 500));
    expect((await positions()).filter((p) => p >= 0)).toEqual([]);
  });

  test('started to the end, it projects what is appended (the same check, seen passing)', async () => {
    const runner = new ProjectionRunner(store, writer, { rebuildPollMs: 0 });
    await runner.start();
    const position = await register('chicago-il');
    await runner.waitFor(position, 5_000);
    expect(Math.max(...(await positions()))).toBe(position);
    await runner.stop();
  });
});
