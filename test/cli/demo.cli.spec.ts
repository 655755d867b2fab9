import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readDatasetLines } from '@ledger/datasets';
import type { EventEnvelope } from '@ledger/domain';
import { SqliteEventStore } from '@ledger/event-store';
import { waitFor } from '../support/events';
import { startServer, type ServerProcess } from '../support/server-process';
import { buildCliOnce } from './support/build-cli';
import { runLedger } from './support/run-ledger';

// Each test spawns several CLI processes; on a loaded machine one takes seconds.
jest.setTimeout(120_000);

/** `ledger demo`: the dataset imported into LEDGER_DATA_DIR (once), then the api on PORT. */
describe('ledger demo', () => {
  let dir: string;
  let dataDir: string;
  let server: ServerProcess | null = null;

  beforeAll(() => buildCliOnce(), 240_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-demo-'));
    dataDir = join(dir, 'data');
  });
  afterEach(async () => {
    if (server) await stop(server);
    server = null;
    rmSync(dir, { recursive: true, force: true });
  });

  const startDemo = () => startServer({ LEDGER_DATA_DIR: dataDir, LEDGER_SKIP_BUILD: '1' }, ['demo']);

  it('loads the dataset, serves it, and prints what to open; starting again adds nothing', async () => {
    const dataset = readDatasetLines();
    server = await startDemo();
    const { base } = server;
    await waitForOutput(server, /Stop with Ctrl\+C/);
    expect(server.output()).toContain(`demo: imported ${dataset.length} events from libs/datasets/sanctuary-2018.ndjson into ${dataDir}`);
    for (const path of ['/docs', '/v1/jurisdictions/chicago-il', '/v1/timeline?jurisdiction=chicago-il']) {
      expect(server.output()).toContain(`${base}${path}\n`);
    }
    const docs = await fetch(`${base}/docs`);
    expect(docs.status).toBe(200);
    // The link it prints works: Chicago's view, once the watcher has lapsed its deadline.
    const chicago = await waitFor(async () => {
      const response = await fetch(`${base}/v1/jurisdictions/chicago-il`);
      const body = response.ok ? ((await response.json()) as { status?: string }) : null;
      return body?.status === 'overdue' ? body : null;
    }, 20_000, "Chicago's deadline to lapse");
    expect(chicago).toMatchObject({ name: 'City of Chicago', lettersReceived: 1, lapsedDeadlines: 1 });
    const timeline = await fetch(`${base}/v1/timeline?jurisdiction=chicago-il`);
    expect(timeline.status).toBe(200);
    expect(JSON.stringify(await timeline.json())).toContain('"LetterSent"');
    await stop(server);

    // `ledger verify` on the demo ledger.
    const verify = await runLedger(['verify'], { LEDGER_DATA_DIR: dataDir });
    expect({ code: verify.code, stderr: verify.stderr }).toEqual({ code: 0, stderr: '' });

    server = await startDemo();
    await waitForOutput(server, /Stop with Ctrl\+C/);
    expect(server.output()).toContain(`demo: the dataset is loaded already (${dataset.length} events in ${dataDir}); nothing added`);
    await stop(server);
    server = null;

    // The ledger's own events (deadlines lapsing) may follow; the dataset is there exactly once.
    const stored = (await eventsIn(dataDir)).filter((e) => e.metadata.recordedBy !== 'system');
    expect(stored.map((e) => e.eventId)).toEqual(dataset.map((l) => l.eventId));
  });

  it('refuses, with exit 2, a data dir whose records contradict the dataset', async () => {
    const chicago = {
      type: 'JurisdictionRegistered',
      streamId: 'jurisdiction-chicago-il',
      occurredAt: '2018-01-01',
      data: { name: 'Chicago', kind: 'city', state: 'IL' },
      metadata: {},
    };
    const file = join(dir, 'chicago.ndjson');
    writeFileSync(file, JSON.stringify(chicago) + '\n');
    expect((await runLedger(['import', file], { LEDGER_DATA_DIR: dataDir })).code).toBe(0);

    const run = await runLedger(['demo'], { LEDGER_DATA_DIR: dataDir, PORT: '0' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^line \d+: JURISDICTION\.ALREADY_REGISTERED: /m);
    expect(run.stderr).toContain(`ledger: the dataset does not fit the ledger in ${dataDir}`);
    expect((await eventsIn(dataDir)).length).toBe(1);
  });

  it('gives one clear line and exit 2 for an unusable data dir', async () => {
    writeFileSync(dataDir, '');
    const run = await runLedger(['demo'], { LEDGER_DATA_DIR: dataDir, PORT: '0' });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`ledger: cannot use the data directory ${dataDir}: a file is in the way (not a directory)\n`);
  });
});

async function eventsIn(dataDir: string): Promise<EventEnvelope[]> {
  const store = new SqliteEventStore({ file: join(dataDir, 'ledger.sqlite') });
  try {
    return await store.readAll({ limit: 100_000 });
  } finally {
    await store.close();
  }
}

/** SIGTERM (the server closes its stores), then wait for the exit. */
function stop(server: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

async function waitForOutput(server: ServerProcess, pattern: RegExp): Promise<void> {
  for (let waited = 0; !pattern.test(server.output()); waited += 50) {
    if (waited > 10_000) throw new Error(`no ${pattern} in:\n${server.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
