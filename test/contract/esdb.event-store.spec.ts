import { computeEventHash, GENESIS_HASH, type EventEnvelope } from '@ledger/domain';
import {
  BEFORE_FIRST,
  createEventStore,
  EventIdReusedError,
  RevisionConflictError,
  SqliteEventStore,
  StoreUnavailableError,
  type EventStore,
} from '@ledger/event-store';
import { StartupError } from '@ledger/platform';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claimStream, connectEsdb, EsdbEventStore, EsdbGateway, type EsdbEventStoreOptions } from '../../libs/event-store/src/esdb';
import { EsdbStandIn } from '../esdb-standin/standin-server';
import { newEvent, waitFor } from '../support/events';
import { testEventStore, type StoreHandle } from './event-store.contract';

const quiet = { warn: () => undefined };
let seq = 0;
const uniqueStream = (label: string) => `jurisdiction-esdb-${label}-${process.pid}-${Date.now()}-${seq++}`;

/** BatchAppend on, as EventStoreDB 21.10+ advertises it: the client then appends through it. */
testEventStore('esdb (stand-in)', async () => {
  const standIn = await new EsdbStandIn({ batchAppend: true }).start();
  const open = () => new EsdbEventStore({ connectionString: standIn.connectionString, logger: quiet });
  let store = open();
  return {
    get store() {
      return store;
    },
    async reopen() {
      // A new client, and the server restarted under it (the stand-in keeps its data).
      await store.close();
      await standIn.restart();
      store = open();
      return store;
    },
    async dispose() {
      await store.close();
      await standIn.stop();
    },
  } satisfies StoreHandle;
});

const realServer = process.env.EVENTSTORE_CONNECTION_STRING;
if (realServer) {
  testEventStore(`esdb (real server at ${realServer.replace(/\/\/[^@/]*@/, '//')})`, async () => {
    let store = await connectEsdb(realServer, { retries: 2, logger: quiet });
    return {
      get store() {
        return store;
      },
      async reopen() {
        await store.close();
        store = await connectEsdb(realServer, { retries: 2, logger: quiet });
        return store;
      },
      async dispose() {
        await store.close();
      },
    } satisfies StoreHandle;
  });
} else {
  console.log('esdb contract against a real EventStoreDB: not run, EVENTSTORE_CONNECTION_STRING is not set (e.g. esdb://127.0.0.1:2113?tls=false)');
}

describe('esdb adapter against the stand-in', () => {
  let standIn: EsdbStandIn;
  const stores: EventStore[] = [];
  const open = (options: Partial<EsdbEventStoreOptions> = {}) => {
    const store = new EsdbEventStore({ connectionString: standIn.connectionString, logger: quiet, ...options });
    stores.push(store);
    return store;
  };

  beforeEach(async () => {
    standIn = await new EsdbStandIn({ batchAppend: true }).start();
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    await standIn.stop();
  });

  describe('idempotency', () => {
    it('recognises a repeat after the client and the server restarted and the stream moved on', async () => {
      const s = uniqueStream('idem');
      const event = newEvent('LetterSent', { subject: 'x' });
      const first = await open().append(s, [event]);
      await open().append(s, [newEvent(), newEvent()]); // EventStoreDB's own duplicate check looks only at the expected revision
      await standIn.restart();
      const later = open();
      const again = await later.append(s, [{ ...event }], { expectedRevision: 'no-stream' });
      expect(again).toMatchObject({ idempotent: true, revision: 0, position: first.position });
      expect(again.events[0].hash).toBe(first.events[0].hash);
      await expect(later.append(s, [{ ...event, data: { subject: 'y' } }])).rejects.toBeInstanceOf(EventIdReusedError);
      await expect(later.append(uniqueStream('elsewhere'), [event])).rejects.toBeInstanceOf(EventIdReusedError);
      expect((await later.readStream(s)).map((e) => e.eventId).filter((id) => id === event.eventId)).toHaveLength(1);
    });

    it('completes an append whose writer died between claiming the id and writing the event', async () => {
      const s = uniqueStream('crash');
      const event = newEvent();
      const gateway = EsdbGateway.connect(standIn.connectionString);
      // What a writer leaves behind when it dies right after its claim: a claim, no event.
      const claim = { streamId: s, revision: 0, firstRevision: 0, firstEventId: event.eventId, contentDigest: 'from-the-dead-writer', appendId: 'x' };
      await gateway.append(claimStream(event.eventId), [{ eventId: crypto.randomUUID(), type: 'ledger-eid-claimed', data: claim, metadata: {} }], 'no_stream');
      await gateway.close();
      const store = open();
      // Other content while the claimed slot is still free: refused (the dead writer's event could still land).
      await expect(store.append(s, [event])).rejects.toBeInstanceOf(EventIdReusedError);
      // Once the slot is taken by another event, that claim can never come true: the id is free again.
      await store.append(s, [newEvent()]);
      const written = await store.append(s, [event]);
      expect(written).toMatchObject({ idempotent: false, revision: 1 });
      expect(await store.append(s, [event])).toMatchObject({ idempotent: true, revision: 1, position: written.position });
      expect(await store.getEvent(event.eventId)).toMatchObject({ streamId: s, revision: 1, hash: written.events[0].hash });
    });

    it('keeps the hash chain intact when replicas race on one stream with expectedRevision any', async () => {
      const s = uniqueStream('replicas');
      const [a, b] = [open(), open()];
      const writes = Array.from({ length: 20 }, (_, n) => (n % 2 ? a : b).append(s, [newEvent('TestHappened', { n })]));
      const results = await Promise.all(writes);
      expect(new Set(results.map((r) => r.revision)).size).toBe(20);
      const events = await a.readStream(s);
      expect(events.map((e) => e.revision)).toEqual([...Array(20).keys()]);
      events.forEach((e, i) => {
        const { hash, position: _p, ...rest } = e;
        expect(hash).toBe(computeEventHash(rest));
        expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : events[i - 1].hash);
      });
    });
  });

  describe('the log', () => {
    it('hands out gapped positions and keeps system events and bookkeeping out of readAll', async () => {
      const store = open();
      const s = uniqueStream('gaps');
      await store.append(s, [newEvent(), newEvent(), newEvent()]);
      const all = await store.readAll({ after: BEFORE_FIRST });
      expect(all.map((e) => e.streamId)).toEqual([s, s, s]);
      expect(all[1].position - all[0].position).toBeGreaterThan(1);
      const raw = standIn.allEvents().map((e) => e.streamId);
      expect(raw.some((id) => id.startsWith('$stats'))).toBe(true);
      expect(raw.filter((id) => id.startsWith('$ledger-eid-'))).toHaveLength(3);
      expect(await store.headPosition()).toBe(all[2].position);
    });

    it('answers an empty log with BEFORE_FIRST and no events', async () => {
      const store = open();
      expect(await store.headPosition()).toBe(BEFORE_FIRST);
      expect(await store.readAll()).toEqual([]);
      expect(await store.getEvent(crypto.randomUUID())).toBeNull();
    });

    it('maps a conflict to RevisionConflictError with the actual revision through Streams.Append too', async () => {
      await standIn.stop();
      standIn = await new EsdbStandIn({ batchAppend: false }).start();
      const store = open();
      const s = uniqueStream('append');
      await store.append(s, [newEvent(), newEvent()]);
      await expect(store.append(s, [newEvent()], { expectedRevision: 0 })).rejects.toMatchObject({ actual: 1, code: 'STREAM.REVISION_CONFLICT' });
      await expect(store.append(s, [newEvent()], { expectedRevision: 'no-stream' })).rejects.toBeInstanceOf(RevisionConflictError);
      expect(standIn.calls.get('BatchAppend') ?? 0).toBe(0);
      expect(standIn.calls.get('Append')).toBeGreaterThan(0);
    });
  });

  describe('appendMany', () => {
    it('with atomic, checks every request before writing any', async () => {
      const store = open();
      const [a, b] = [uniqueStream('ma'), uniqueStream('mb')];
      await store.append(b, [newEvent()]);
      const head = await store.headPosition();
      await expect(
        store.appendMany(
          [
            { streamId: a, events: [newEvent()], expectedRevision: 'no-stream' },
            { streamId: b, events: [newEvent()], expectedRevision: 'no-stream' },
          ],
          { atomic: true },
        ),
      ).rejects.toBeInstanceOf(RevisionConflictError);
      expect(await store.headPosition()).toBe(head);
      expect(await store.readStream(a)).toEqual([]);
    });

    it('with atomic, counts earlier requests of the batch when checking later ones, and a retry is a no-op', async () => {
      const store = open();
      const [a, b] = [uniqueStream('ia'), uniqueStream('ib')];
      const requests = [
        { streamId: a, events: [newEvent(), newEvent()], expectedRevision: 'no-stream' as const },
        { streamId: b, events: [newEvent()], expectedRevision: 'no-stream' as const },
        { streamId: a, events: [newEvent()], expectedRevision: 1 },
      ];
      const results = await store.appendMany(requests, { atomic: true });
      expect(results.map((r) => r.revision)).toEqual([1, 0, 2]);
      expect(results[2].position).toBeGreaterThan(results[1].position);
      const again = await store.appendMany(requests, { atomic: true });
      expect(again.map((r) => [r.idempotent, r.position])).toEqual(results.map((r) => [true, r.position]));
    });
  });

  describe('subscriptions across a lost connection', () => {
    it('reconnects and resumes after the last delivered event, with no gap and no duplicate', async () => {
      const warnings: string[] = [];
      const store = open({ logger: { warn: (m) => warnings.push(m) }, resubscribe: { initialDelayMs: 20, maxDelayMs: 200 } });
      const s = uniqueStream('resume');
      const seen: EventEnvelope[] = [];
      const sub = store.subscribe(BEFORE_FIRST, { streamPrefixes: [s] }).subscribe((e) => seen.push(e));
      for (let n = 0; n < 10; n++) await store.append(s, [newEvent('TestHappened', { n })]);
      await waitFor(() => seen.length >= 10, 10000, 'the first 10 events');

      await standIn.stop();
      await waitFor(() => warnings.some((w) => w.includes('dropped')), 10000, 'the drop to be noticed');
      await standIn.start();
      // Appended by another replica as soon as the server is back: the resumed subscription catches up on them.
      const other = open();
      for (let n = 10; n < 20; n++) await other.append(s, [newEvent('TestHappened', { n })]);
      for (let n = 20; n < 30; n++) await store.append(s, [newEvent('TestHappened', { n })]);
      await waitFor(() => seen.length >= 30, 15000, '30 events');
      await new Promise((r) => setTimeout(r, 200));
      sub.unsubscribe();

      expect(seen.map((e) => e.data.n)).toEqual([...Array(30).keys()]);
      expect(new Set(seen.map((e) => e.eventId)).size).toBe(30);
      expect(seen.every((e, i) => i === 0 || e.position > seen[i - 1].position)).toBe(true);
      expect(warnings.find((w) => w.includes('dropped'))).toMatch(/resuming after position \d+/);
    });

    it('completes live subscriptions when the store closes', async () => {
      const store = open();
      let completed = false;
      store.subscribe(BEFORE_FIRST).subscribe({ complete: () => (completed = true) });
      await store.close();
      expect(completed).toBe(true);
    });
  });

  describe('startup', () => {
    it('says it cannot reach EventStoreDB, retries with backoff, then gives up with a clear error', async () => {
      const port = await closedPort();
      const warnings: string[] = [];
      const attempt = connectEsdb(`esdb://127.0.0.1:${port}?tls=false`, {
        retries: 2,
        initialDelayMs: 10,
        logger: { warn: (m) => warnings.push(m) },
      });
      await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(attempt).rejects.toThrow(new RegExp(`^cannot reach EventStoreDB at 127\\.0\\.0\\.1:${port} \\(tried 3 times\\)`));
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(new RegExp(`^cannot reach EventStoreDB at 127\\.0\\.0\\.1:${port} .*retrying in \\d+ ms \\(attempt 1 of 3\\)`));
    });

    it('connects once the server comes up while it is retrying', async () => {
      const port = standIn.port;
      await standIn.stop();
      const warnings: string[] = [];
      const connecting = connectEsdb(`esdb://127.0.0.1:${port}?tls=false`, {
        retries: 50,
        initialDelayMs: 20,
        maxDelayMs: 100,
        logger: { warn: (m) => warnings.push(m) },
      });
      await waitFor(() => warnings.length > 0, 10000, 'a first failed attempt');
      await standIn.start();
      const store = await connecting;
      stores.push(store);
      const s = uniqueStream('late');
      expect((await store.append(s, [newEvent()])).revision).toBe(0);
    });

    it('createEventStore opens SQLite or EventStoreDB from the config and reports an unreachable server as a StartupError', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ledger-create-'));
      try {
        const sqlite = await createEventStore({ store: 'sqlite', dataDir: dir });
        expect(sqlite).toBeInstanceOf(SqliteEventStore);
        await sqlite.close();
        const esdb = await createEventStore({ store: 'esdb', dataDir: dir, eventstoreConnectionString: standIn.connectionString }, { logger: quiet });
        stores.push(esdb);
        expect(esdb.capabilities).toEqual({ atomicMultiStream: false, name: 'esdb' });
        const port = await closedPort();
        const failing = createEventStore(
          { store: 'esdb', dataDir: dir, eventstoreConnectionString: `esdb://127.0.0.1:${port}?tls=false` },
          { retries: 0, logger: quiet },
        );
        await expect(failing).rejects.toBeInstanceOf(StartupError);
        await expect(failing).rejects.toThrow(`cannot reach EventStoreDB at 127.0.0.1:${port}`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
