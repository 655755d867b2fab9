import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { ManualClock, openSqliteReadModel, type ReadModelDb } from '@ledger/platform';
import { ProjectionQueries, Projector, readCheckpoints, RowLease } from '@ledger/projections';
import { runLedger } from '../cli/support/run-ledger';
import { buildOnce } from '../support/server-process';
import { recordSeedScenario } from './support/scenario';

describe('ledger rebuild', () => {
  let dir: string;
  let head: number;

  beforeAll(async () => {
    buildOnce();
    dir = mkdtempSync(join(tmpdir(), 'ledger-rebuild-cli-'));
    const store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite') });
    await recordSeedScenario(store, new ManualClock(new Date('2018-01-24T18:00:00Z')));
    head = await store.headPosition();
    await store.close();
  }, 300_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('rebuilds every projection of the data dir when no one else is projecting', async () => {
    const run = await runLedger(['rebuild', '--json'], { LEDGER_DATA_DIR: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ by: 'here', position: head, names: expect.arrayContaining(['jurisdictions', 'timeline']) });
    const views = openSqliteReadModel(join(dir, 'views.sqlite'));
    try {
      expect((await new ProjectionQueries(views).getJurisdiction('los-angeles-ca'))?.name).toBe('City of Los Angeles');
      expect([...(await readCheckpoints(views.db)).values()].every((c) => c.position === head)).toBe(true);
    } finally {
      await views.close();
    }
  });

  test('one projection by name; an unknown name is bad input', async () => {
    const run = await runLedger(['rebuild', 'meetings'], { LEDGER_DATA_DIR: dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^rebuilt meetings up to position ${head} in `));
    const bad = await runLedger(['rebuild', 'nope'], { LEDGER_DATA_DIR: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no projection named nope');
  });

  test('asks the running projector when another process holds the lease', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite'), pollIntervalMs: 50 });
    const views: ReadModelDb = openSqliteReadModel(join(dir, 'views.sqlite'));
    const projector = new Projector(store, views, new RowLease(views), { clock: new ManualClock(), runner: { rebuildPollMs: 100 } });
    try {
      await projector.start();
      expect(await projector.started(10_000)).toBe(true);
      const run = await runLedger(['rebuild', 'officials', '--json'], { LEDGER_DATA_DIR: dir });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ by: 'leader', names: ['officials'], position: head });
    } finally {
      await projector.stop();
      await views.close();
      await store.close();
    }
  });
});
