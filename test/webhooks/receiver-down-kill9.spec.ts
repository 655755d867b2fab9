import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { buildCliOnce } from '../cli/support/build-cli';
import { waitFor } from '../support/events';
import { callJson, kill9, startServer, type ServerProcess } from '../support/server-process';
import { freePort, Receiver } from './support/receiver';

/**
 * `ledger serve` (api + dispatcher in one process) as a child; the receiver is down the
 * whole time the dispatcher is killed with SIGKILL twice, events being recorded in every
 * life. When the receiver comes back, it gets every event, signed.
 */
describe('a receiver that is down while the dispatcher is killed -9 twice', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-webhook-kill9-'));
  let server: ServerProcess | null = null;
  let receiver: Receiver | null = null;
  let port: number;
  let env: Record<string, string>;

  beforeAll(async () => {
    buildCliOnce();
    port = await freePort();
    env = {
      LEDGER_DATA_DIR: dataDir,
      LEDGER_RATE_LIMIT: '0',
      LOG_LEVEL: 'error',
      LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${port}`,
      LEDGER_WEBHOOK_LEASE_TTL: '1s',
      LEDGER_WEBHOOK_POLL_INTERVAL: '200ms',
      // Long enough in total that nothing is dead-lettered while the receiver is down.
      LEDGER_WEBHOOK_RETRY_SCHEDULE: Array(150).fill('200ms').join(','),
    };
  }, 300_000);
  afterAll(async () => {
    if (server) await kill9(server);
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, body?: object) => callJson(server!.base, method, path, body);
  const record = async (n: number, prefix: string) => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push((await call('POST', '/v1/jurisdictions', { id: `${prefix}-${i}`, name: `${prefix} ${i}`, kind: 'city', state: 'IL' })).eventId as string);
    }
    return ids;
  };
  const failedAttempts = async (id: string) => ((await call('GET', `/v1/webhooks/${id}/deliveries?status=failed&limit=100`)).items ?? []).length;

  it('delivers every event at least once after it comes back', async () => {
    const owed: string[] = [];
    server = await startServer(env);
    const subscription = await call('POST', '/v1/webhooks', { url: `http://127.0.0.1:${port}/hook` });
    const id = subscription.id as string;
    const secret = subscription.secret as string;
    owed.push(...(await record(10, 'first')));
    await waitFor(async () => (await failedAttempts(id)) >= 5, 30_000, 'failed attempts in the first life');
    await kill9(server);

    server = await startServer(env);
    owed.push(...(await record(10, 'second')));
    const before = await failedAttempts(id);
    await waitFor(async () => (await failedAttempts(id)) > before, 30_000, 'failed attempts in the second life');
    await kill9(server);

    server = await startServer(env);
    owed.push(...(await record(10, 'third')));
    receiver = await Receiver.start(undefined, port);
    await waitFor(() => {
      const got = new Set(receiver!.eventIds());
      return owed.every((e) => got.has(e));
    }, 60_000, 'every owed event at the receiver');

    for (const r of receiver.requests) expect(new Webhook(secret).verify(r.body, r.headers as Record<string, string>)).toBeTruthy();
    const view = await waitFor(async () => {
      const v = (await call('GET', `/v1/webhooks/${id}`)) as { messages: Record<string, number> };
      return v.messages.pending === 0 && v;
    }, 30_000, 'nothing pending');
    expect(view.messages).toMatchObject({ delivered: 30, dead: 0 });
  }, 240_000);
});
