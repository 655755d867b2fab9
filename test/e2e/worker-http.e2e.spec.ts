import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCliOnce } from '../cli/support/build-cli';
import { freePort, kill9, startServer, type ServerProcess } from '../support/server-process';

/**
 * `ledger worker` with LEDGER_WORKER_PORT: the /health and /metrics an orchestrator and
 * Prometheus read off a worker that serves no API.
 */
describe('the worker process over HTTP (LEDGER_WORKER_PORT)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-worker-http-'));
  let worker: ServerProcess | null = null;

  beforeAll(() => buildCliOnce(), 300_000);
  afterAll(async () => {
    if (worker) await kill9(worker);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers /health with its projections and /metrics with their positions and the process', async () => {
    const port = await freePort();
    // startServer waits for /health on PORT: here it is the worker's own listener.
    worker = await startServer({ LEDGER_DATA_DIR: dataDir, LEDGER_WORKER_PORT: String(port), PORT: String(port), LOG_LEVEL: 'error' }, ['worker']);
    const health = (await (await fetch(`${worker.base}/health`)).json()) as { ready: boolean; projections: { leader: boolean } };
    expect(health).toMatchObject({ ready: true, projections: { leader: true } });

    const res = await fetch(`${worker.base}/metrics`);
    expect(res.status).toBe(200);
    const metrics = await res.text();
    expect(metrics).toMatch(/^ledger_projection_position\{projection="jurisdictions"\} -?\d+$/m);
    expect(Number(/^process_resident_memory_bytes (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
    expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds \d/m);

    expect((await fetch(`${worker.base}/nothing`)).status).toBe(404);
  }, 120_000);
});
