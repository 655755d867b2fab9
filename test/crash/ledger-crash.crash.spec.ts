import { verifyLog } from '@ledger/audit';
import { SqliteEventStore } from '@ledger/event-store';
import { openSqliteReadModel } from '@ledger/platform';
import { ALL_PROJECTIONS, physicalName } from '@ledger/projections';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCliOnce } from '../cli/support/build-cli';
import { dumpTables } from '../projections/support/read-models';
import { waitFor } from '../support/events';
import { kill9, startServer, type ServerProcess } from '../support/server-process';
import { Receiver } from '../webhooks/support/receiver';
import { CRASH_KEYS, CRASH_TOKEN, CrashClient, type Ack } from './support/crash-clients';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 10);
const ACKS_PER_ROUND = 500;
const CLIENTS = 4;
const OWED_TYPES = ['LetterSent', 'JurisdictionRegistered', 'OrganizationRegistered'] as const;
const PROJECTION_TABLES = ALL_PROJECTIONS.flatMap((p) => p.tables.map((t) => physicalName(t.name)));
const trace = (line: string) => process.env.CRASH_VERBOSE && process.stderr.write(`crash: ${line}\n`);

/**
 * The ledger as a child process, four clients appending concurrently, kill -9 once at
 * least 500 appends were acknowledged in the round, restart; ten rounds. Then: every
 * acknowledged event is stored exactly once at the position it was acknowledged with, each
 * client's positions increase, the file passes integrity_check, the hash chains verify,
 * the projections built across the crashes equal a fresh rebuild, and the webhook
 * dispatcher delivered every event it owed.
 */
describe('kill -9 under load, ten times over', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-crash-'));
  const clients = Array.from({ length: CLIENTS }, (_, i) => new CrashClient(i));
  const seeded: Ack[] = [];
  let receiver: Receiver;
  let env: Record<string, string>;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    buildCliOnce();
    receiver = await Receiver.start();
    env = {
      LEDGER_DATA_DIR: dataDir,
      LEDGER_API_KEYS: CRASH_KEYS,
      LEDGER_RATE_LIMIT: '0',
      LEDGER_SKIP_BUILD: '1',
      LOG_LEVEL: 'error',
      LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${receiver.port}`,
      LEDGER_WEBHOOK_LEASE_TTL: '1s',
      LEDGER_WEBHOOK_POLL_INTERVAL: '200ms',
      LEDGER_WEBHOOK_RETRY_SCHEDULE: Array(20).fill('200ms').join(','),
    };
  }, 180_000);
  afterAll(async () => {
    if (server) await kill9(server);
    await receiver?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const acknowledged = () => clients.reduce((n, c) => n + c.acks.length, 0);
  const call = async (base: string, method: string, path: string, body?: object) => {
    const res = await fetch(base + path, {
      method,
      headers: { authorization: `Bearer ${CRASH_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = (await res.json()) as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };

  it('loses no acknowledged append, stores none twice, and owes nothing after', async () => {
    let subscriptionId = '';
    for (let round = 0; round < ROUNDS; round++) {
      const t0 = Date.now();
      server = await startServer(env);
      const t1 = Date.now();
      if (round === 0) {
        // Letters and registrations only (a quarter of the writes): enough to owe deliveries across every kill.
        const subscription = { url: receiver.url, description: 'crash test', eventTypes: [...OWED_TYPES] };
        subscriptionId = (await call(server.base, 'POST', '/v1/webhooks', subscription)).id as string;
        for (const [path, body] of [
          ['/v1/jurisdictions', { id: 'chicago-il', name: 'City of Chicago', kind: 'city', state: 'IL' }],
          ['/v1/organizations', { id: 'us-doj', name: 'U.S. Department of Justice', level: 'federal' }],
        ] as const) {
          const answer = await call(server.base, 'POST', path, body);
          seeded.push({ eventId: answer.eventId as string, position: answer.position as number, type: answer.type as string, client: -1 });
        }
      }
      const before = acknowledged();
      let stopped = false;
      let clientError: unknown = null;
      let allStopped = false;
      const running = Promise.all(clients.map((c) => c.run(server!.base, round, () => stopped)))
        .catch((error: unknown) => void (clientError = error))
        .then(() => void (allStopped = true));
      while (!clientError && !allStopped && acknowledged() - before < ACKS_PER_ROUND) await new Promise((r) => setTimeout(r, 5));
      if (clientError) throw clientError;
      if (allStopped) throw new Error(`round ${round}: every client stopped before the kill`);
      await kill9(server);
      server = null;
      stopped = true;
      await running;
      if (clientError) throw clientError;
      trace(`round ${round}: started in ${t1 - t0} ms, ${acknowledged() - before} acknowledged in ${Date.now() - t1} ms`);
    }

    // One more start: the requests a kill left unanswered are sent again and answered, the
    // projections and the dispatcher catch up; then the last kill.
    const t2 = Date.now();
    server = await startServer(env);
    const base = server.base;
    await Promise.all(clients.map((c) => c.run(base, ROUNDS, () => true)));
    const acks = [...seeded, ...clients.flatMap((c) => c.acks)];
    await waitFor(
      async () => ((await call(base, 'GET', '/health')) as { projections?: { lagEvents: number } }).projections?.lagEvents === 0,
      90_000,
      'the projections to catch up',
    );
    const owedTypes = new Set<string>(OWED_TYPES);
    const owed = acks.filter((a) => owedTypes.has(a.type)).map((a) => a.eventId);
    const missing = () => { const got = new Set(receiver.eventIds()); return owed.filter((id) => !got.has(id)); };
    await waitFor(() => missing().length === 0, 90_000, 'every owed delivery').catch((error: Error) => {
      throw new Error(`${error.message}: ${missing().length} of ${owed.length} owed events never delivered`);
    });
    expect((await call(base, 'GET', '/v1/audit/verify')).ok).toBe(true);
    await kill9(server);
    server = null;
    trace(`final start, catch-up and checks: ${Date.now() - t2} ms`);

    expect(acks.length).toBeGreaterThanOrEqual(ROUNDS * ACKS_PER_ROUND);
    expect(clients.map((c) => c.unanswered.size)).toEqual(clients.map(() => 0));

    const db = new Database(join(dataDir, 'ledger.sqlite'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare('SELECT event_id AS eventId, stream_id AS streamId, position FROM events ORDER BY position').all() as {
        eventId: string;
        streamId: string;
        position: number;
      }[];
      const stored = new Map<string, number[]>();
      for (const row of rows) stored.set(row.eventId, [...(stored.get(row.eventId) ?? []), row.position]);
      // every acknowledged event: present exactly once, at the acknowledged position
      expect(acks.filter((a) => stored.get(a.eventId)?.length !== 1 || stored.get(a.eventId)![0] !== a.position)).toEqual([]);
      // nothing stored that nobody asked for (the one other event is the webhook subscription)
      const asked = new Set(acks.map((a) => a.eventId));
      expect(rows.filter((r) => !asked.has(r.eventId)).map((r) => r.streamId)).toEqual([`webhook-${subscriptionId}`]);
      // each client's acknowledged positions increase
      for (const c of clients) expect(c.acks.every((a, i) => i === 0 || a.position > c.acks[i - 1].position)).toBe(true);
    } finally {
      db.close();
    }

    const store = new SqliteEventStore({ file: join(dataDir, 'ledger.sqlite') });
    const live = openSqliteReadModel(join(dataDir, 'views.sqlite'));
    const freshDir = mkdtempSync(join(tmpdir(), 'ledger-crash-rebuild-'));
    try {
      const report = await verifyLog(store);
      expect(report).toMatchObject({ ok: true, firstBroken: null, eventsChecked: acks.length + 1 });
      // the views the crashing server built equal a rebuild from the log, table by table
      const rebuild = spawnSync(process.execPath, [join(__dirname, 'support', 'rebuild-views.js'), join(dataDir, 'ledger.sqlite'), join(freshDir, 'views.sqlite')], {
        encoding: 'utf8',
      });
      expect([rebuild.status, rebuild.status === 0 ? '' : rebuild.stderr]).toEqual([0, '']);
      const fresh = openSqliteReadModel(join(freshDir, 'views.sqlite'));
      const rebuilt = await dumpTables(fresh, PROJECTION_TABLES).finally(() => fresh.close());
      const crashed = await dumpTables(live, PROJECTION_TABLES);
      for (const table of PROJECTION_TABLES) expect({ table, rows: crashed[table] }).toEqual({ table, rows: rebuilt[table] });
    } finally {
      await live.close();
      await store.close();
      rmSync(freshDir, { recursive: true, force: true });
    }
  }, 600_000);
});
