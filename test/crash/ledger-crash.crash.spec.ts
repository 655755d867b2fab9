import { verifyLog } from '@ledger/audit';
import { SqliteEventStore } from '@ledger/event-store';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCliOnce } from '../cli/support/build-cli';
import { kill9, startServer, type ServerProcess } from '../support/server-process';
import { CRASH_KEYS, CRASH_TOKEN, CrashClient, type Ack } from './support/crash-clients';

const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 10);
const ACKS_PER_ROUND = 500;
const CLIENTS = 4;

/**
 * The ledger as a child process, four clients appending concurrently, kill -9 once at
 * least 500 appends were acknowledged in the round, restart, ten rounds. Then: every
 * acknowledged event is stored exactly once at the position it was acknowledged with, each
 * client's positions increase, the file passes integrity_check, and the hash chains verify.
 */
describe('kill -9 under load, ten times over', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-crash-'));
  const env = { LEDGER_DATA_DIR: dataDir, LEDGER_API_KEYS: CRASH_KEYS, LEDGER_RATE_LIMIT: '0', LEDGER_SKIP_BUILD: '1', LOG_LEVEL: 'error' };
  const clients = Array.from({ length: CLIENTS }, (_, i) => new CrashClient(i));
  const seeded: Ack[] = [];
  let server: ServerProcess | null = null;

  beforeAll(() => buildCliOnce(), 180_000);
  afterAll(async () => {
    if (server) await kill9(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const acknowledged = () => clients.reduce((n, c) => n + c.acks.length, 0);
  const post = async (base: string, path: string, body: object) => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${CRASH_TOKEN}` },
      body: JSON.stringify(body),
    });
    const answer = (await res.json()) as { eventId: string; position: number };
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(answer)}`);
    seeded.push({ ...answer, client: -1 });
  };

  it('loses no acknowledged append and stores none twice', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      server = await startServer(env);
      if (round === 0) {
        await post(server.base, '/v1/jurisdictions', { id: 'chicago-il', name: 'City of Chicago', kind: 'city', state: 'IL' });
        await post(server.base, '/v1/organizations', { id: 'us-doj', name: 'U.S. Department of Justice', level: 'federal' });
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
    }

    // One more start: the unanswered requests are sent again and answered (stored once), then a clean stop.
    server = await startServer(env);
    const base = server.base;
    await Promise.all(clients.map((c) => c.run(base, ROUNDS, () => true)));
    const verify = (await (await fetch(`${base}/v1/audit/verify`, { headers: { authorization: `Bearer ${CRASH_TOKEN}` } })).json()) as { ok: boolean };
    expect(verify.ok).toBe(true);
    await kill9(server);
    server = null;

    const acks = [...seeded, ...clients.flatMap((c) => c.acks)];
    expect(acks.length).toBeGreaterThanOrEqual(ROUNDS * ACKS_PER_ROUND);
    // the last start answered every request a kill had left unanswered
    expect(clients.map((c) => c.unanswered.size)).toEqual(clients.map(() => 0));

    const db = new Database(join(dataDir, 'ledger.sqlite'), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const rows = db.prepare('SELECT event_id AS eventId, position FROM events ORDER BY position').all() as { eventId: string; position: number }[];
      const stored = new Map<string, number[]>();
      for (const row of rows) stored.set(row.eventId, [...(stored.get(row.eventId) ?? []), row.position]);

      // every acknowledged event: present exactly once, at the acknowledged position
      const wrong = acks.filter((a) => stored.get(a.eventId)?.length !== 1 || stored.get(a.eventId)![0] !== a.position);
      expect(wrong).toEqual([]);
      // nothing stored that no client asked for, nothing twice
      const asked = new Set(acks.map((a) => a.eventId));
      expect(rows.filter((r) => !asked.has(r.eventId))).toEqual([]);
      expect(rows.length).toBe(acks.length);
      // each client's acknowledged positions increase: no acknowledgement was handed out ahead of its commit
      for (const c of clients) {
        const positions = c.acks.map((a) => a.position);
        expect(positions.every((p, i) => i === 0 || p > positions[i - 1])).toBe(true);
      }
    } finally {
      db.close();
    }

    const store = new SqliteEventStore({ file: join(dataDir, 'ledger.sqlite') });
    try {
      const report = await verifyLog(store);
      expect(report).toMatchObject({ ok: true, firstBroken: null, eventsChecked: acks.length });
    } finally {
      await store.close();
    }
  }, 240_000);
});
