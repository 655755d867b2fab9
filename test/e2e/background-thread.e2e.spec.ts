import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { buildCliOnce } from '../cli/support/build-cli';
import { waitFor } from '../support/events';
import { callJson, kill9, startServer, type ServerProcess } from '../support/server-process';
import { freePort, Receiver } from '../webhooks/support/receiver';

/**
 * `LEDGER_BACKGROUND=thread`: `ledger serve` with the projector, webhook dispatcher, audit
 * checkpointer and deadline watcher in a worker thread. What a recorder, an analyst and a
 * subscriber see must not change: writes are read back at once with minPosition, webhooks
 * arrive signed, /health says where the work runs, and SIGTERM stops the thread too.
 */
describe('the background work in a worker thread (LEDGER_BACKGROUND=thread)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-thread-'));
  let server: ServerProcess | null = null;
  let receiver: Receiver;

  beforeAll(async () => {
    buildCliOnce();
    receiver = await Receiver.start(undefined, await freePort());
  }, 300_000);
  afterAll(async () => {
    if (server) await kill9(server);
    await receiver.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, body?: object) => callJson(server!.base, method, path, body);

  it('reads its writes back, delivers signed webhooks, reports the thread and counts its deliveries, and stops with the api', async () => {
    server = await startServer({
      LEDGER_BACKGROUND: 'thread',
      LEDGER_DATA_DIR: dataDir,
      LEDGER_RATE_LIMIT: '0',
      LOG_LEVEL: 'error',
      LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${new URL(receiver.url).port}`,
    });
    const subscription = await call('POST', '/v1/webhooks', { url: `${receiver.url}/hook` });

    const registered = await call('POST', '/v1/jurisdictions', { id: 'chicago-il', name: 'City of Chicago', kind: 'city', state: 'IL' });
    const letter = await call('POST', '/v1/jurisdictions/chicago-il/letters', {
      letterId: 'doj-2018-01-24',
      from: 'organization:us-doj',
      subject: 'Records on information sharing with federal immigration authorities',
      demands: ['All documents reflecting any orders'],
      threats: ['subpoena'],
      occurredAt: '2018-01-24',
      source: { publication: 'TheBlaze' },
    });
    // Read-your-writes: the thread's projector position reaches the api's wait.
    const view = await call('GET', `/v1/jurisdictions/chicago-il?minPosition=${letter.position as number}`);
    expect(view).toMatchObject({ id: 'chicago-il', lettersReceived: 1, status: 'awaiting-response' });
    // A deadline, which the thread's deadline watcher holds (it holds the streams with one open).
    const deadline = await call('POST', '/v1/jurisdictions/chicago-il/deadlines', {
      deadlineId: 'd-1',
      letterId: 'doj-2018-01-24',
      dueAt: '2099-02-23',
      requirement: 'Produce the documents',
      occurredAt: '2018-01-24',
      source: { publication: 'TheBlaze' },
    });

    await waitFor(() => [registered.eventId, letter.eventId, deadline.eventId].every((id) => receiver.eventIds().includes(id as string)), 30_000, 'the events at the receiver');
    for (const r of receiver.requests) expect(new Webhook(subscription.secret as string).verify(r.body, r.headers as Record<string, string>)).toBeTruthy();

    const health = (await call('GET', '/health')) as { ready: boolean; backgroundThread: Record<string, unknown>; auditCheckpointer: unknown };
    expect(health.ready).toBe(true);
    // The api thread runs no checkpointer of its own: its entry says where the one that runs is.
    expect(health.auditCheckpointer).toEqual({ checkpointer: 'runs in ledger worker or the background thread' });
    // The thread's parts as the thread sees them: it holds the projector lease and runs the others.
    expect(health.backgroundThread).toMatchObject({
      ready: true,
      running: true,
      restarts: 0,
      parts: { projectorLeader: true, auditCheckpointer: { running: true }, dispatcher: { ready: true }, deadlineWatcher: { loaded: true, heldStreams: 1, openDeadlineStreams: 1 } },
    });

    // The deliveries are counted in the thread's registry; /metrics merges it with the api's,
    // and a gauge both measure (the projections' positions) appears once.
    const metrics = await (await fetch(`${server.base}/metrics`)).text();
    const delivered = Number(/^ledger_webhook_attempts_total\{outcome="delivered"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
    expect(delivered).toBeGreaterThanOrEqual(2);
    const positions = [...metrics.matchAll(/^ledger_projection_position\{projection="jurisdictions"\} (\d+)$/gm)].map((m) => Number(m[1]));
    expect(positions).toHaveLength(1);
    const head = ((await call('GET', '/health')) as { store: { headPosition: number } }).store.headPosition;
    expect(positions[0]).toBeGreaterThanOrEqual(letter.position as number);
    expect(positions[0]).toBeLessThanOrEqual(head); // not the api's and the thread's added up
    // The process's memory is reported by its main thread only, so the merge does not double it.
    const rss = [...metrics.matchAll(/^process_resident_memory_bytes (\d+)$/gm)].map((m) => Number(m[1]));
    expect(rss).toHaveLength(1);
    const actual = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.child.pid}/status`, 'utf8'))?.[1]) * 1024;
    expect(rss[0]).toBeGreaterThan(actual * 0.5);
    expect(rss[0]).toBeLessThan(actual * 1.5);

    const exited = new Promise<number | null>((resolve) => server!.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');
    expect(await exited).toBe(0);
    server = null;
  }, 120_000);
});
