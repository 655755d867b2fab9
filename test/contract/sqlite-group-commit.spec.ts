import { computeEventHash, GENESIS_HASH, type EventEnvelope } from '@ledger/domain';
import { EventIdReusedError, RevisionConflictError, SqliteEventStore } from '@ledger/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newEvent } from '../support/events';

/**
 * Requests submitted in the same turn of the event loop share one transaction. Inside it the
 * store remembers the heads it wrote and lets the unique index find a lone event's reused
 * id; these cases hold that to what separate transactions would have answered.
 */
describe('SQLite store: requests sharing one transaction', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-group-'));
    store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const expectChained = (events: EventEnvelope[]) => {
    events.forEach((e, i) => {
      const { hash, position: _position, ...covered } = e;
      expect(e.revision).toBe(i);
      expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : events[i - 1].hash);
      expect(hash).toBe(computeEventHash(covered));
    });
  };

  it('chains appends to one stream made in the same tick, each on the one before', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => store.append('jurisdiction-a', [newEvent()])));
    expect(results.map((r) => r.revision)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expectChained(await store.readStream('jurisdiction-a'));
  });

  it('forgets the heads of an atomic group that rolled back: the next request starts from what is stored', async () => {
    await store.append('jurisdiction-a', [newEvent()]);
    const [group, after] = await Promise.allSettled([
      store.appendMany(
        [
          { streamId: 'jurisdiction-a', events: [newEvent(), newEvent()] },
          { streamId: 'jurisdiction-b', events: [newEvent()], expectedRevision: 7 },
        ],
        { atomic: true },
      ),
      store.append('jurisdiction-a', [newEvent()]),
    ]);
    expect(group.status).toBe('rejected');
    expect((group as PromiseRejectedResult).reason).toBeInstanceOf(RevisionConflictError);
    expect(after.status).toBe('fulfilled');
    expect((after as PromiseFulfilledResult<{ revision: number }>).value.revision).toBe(1);
    const stored = await store.readStream('jurisdiction-a');
    expect(stored).toHaveLength(2);
    expectChained(stored);
    expect(await store.readStream('jurisdiction-b')).toEqual([]);
  });

  it('forgets the head of a request that failed alone, and keeps those of the requests around it', async () => {
    const [first, failed, third] = await Promise.allSettled([
      store.append('jurisdiction-a', [newEvent()]),
      store.append('jurisdiction-a', [newEvent()], { expectedRevision: 5 }),
      store.append('jurisdiction-a', [newEvent()]),
    ]);
    expect(first.status).toBe('fulfilled');
    expect(failed.status).toBe('rejected');
    expect(third.status).toBe('fulfilled');
    expectChained(await store.readStream('jurisdiction-a'));
  });

  it('answers a repeat of an event written earlier in the same transaction with the original', async () => {
    const event = newEvent();
    const [original, repeat] = await Promise.all([store.append('jurisdiction-a', [event]), store.append('jurisdiction-a', [{ ...event }])]);
    expect(repeat.idempotent).toBe(true);
    expect(repeat.position).toBe(original.position);
    expect(await store.readStream('jurisdiction-a')).toHaveLength(1);
  });

  it('answers a lone repeat with the original even when the stream moved on and the expected revision is stale', async () => {
    const event = newEvent();
    const original = await store.append('jurisdiction-a', [event], { expectedRevision: 'no-stream' });
    await store.append('jurisdiction-a', [newEvent()]);
    const repeat = await store.append('jurisdiction-a', [{ ...event }], { expectedRevision: 'no-stream' });
    expect(repeat).toMatchObject({ idempotent: true, position: original.position, revision: 0 });
  });

  it('refuses a lone event whose id another stream holds, writing nothing, and the batch around it still commits', async () => {
    const event = newEvent();
    await store.append('jurisdiction-a', [event]);
    const head = await store.headPosition();
    const [reused, other] = await Promise.allSettled([store.append('jurisdiction-b', [{ ...event }]), store.append('jurisdiction-c', [newEvent()])]);
    expect(reused.status).toBe('rejected');
    expect((reused as PromiseRejectedResult).reason).toBeInstanceOf(EventIdReusedError);
    expect(other.status).toBe('fulfilled');
    expect(await store.readStream('jurisdiction-b')).toEqual([]);
    expect(await store.headPosition()).toBe(head + 1);
  });

  it('refuses an event id repeated inside one request without writing any of it', async () => {
    const event = newEvent();
    await expect(store.append('jurisdiction-a', [event, { ...event }])).rejects.toBeInstanceOf(EventIdReusedError);
    expect(await store.readStream('jurisdiction-a')).toEqual([]);
  });
});
