import { computeEventHash, GENESIS_HASH, type EventEnvelope } from '@ledger/domain';
import { BEFORE_FIRST, EventIdReusedError, RevisionConflictError, type EventStore } from '@ledger/event-store';
import { newEvent, waitFor } from '../support/events';

export interface StoreHandle {
  store: EventStore;
  /** Closes the store and opens it again on the same data. */
  reopen(): Promise<EventStore>;
  dispose(): Promise<void>;
}

/**
 * The behaviour every EventStore adapter must have, written once. Each adapter's spec
 * calls testEventStore('name', factory).
 */
export function testEventStore(name: string, factory: () => Promise<StoreHandle>): void {
  describe(`EventStore contract: ${name}`, () => {
    let handle: StoreHandle;
    let store: EventStore;
    let seq = 0;
    const stream = (label: string) => `jurisdiction-${label}-${process.pid}-${Date.now()}-${seq++}`;

    beforeEach(async () => {
      handle = await factory();
      store = handle.store;
    });
    afterEach(async () => handle.dispose());

    describe('appending', () => {
      it('numbers revisions from 0 and positions in increasing order', async () => {
        const s = stream('rev');
        const first = await store.append(s, [newEvent(), newEvent()], { expectedRevision: 'no-stream' });
        const second = await store.append(s, [newEvent()], { expectedRevision: 1 });
        expect(first.revision).toBe(1);
        expect(second.revision).toBe(2);
        expect(second.position).toBeGreaterThan(first.position);
        const events = await store.readStream(s);
        expect(events.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(events[1].position).toBeGreaterThan(events[0].position);
        expect(events[0].recordedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      });

      it('honours each form of expected revision', async () => {
        const s = stream('exp');
        await expect(store.append(s, [newEvent()], { expectedRevision: 'exists' })).rejects.toBeInstanceOf(RevisionConflictError);
        await store.append(s, [newEvent()], { expectedRevision: 'no-stream' });
        await expect(store.append(s, [newEvent()], { expectedRevision: 'no-stream' })).rejects.toMatchObject({
          code: 'STREAM.REVISION_CONFLICT',
          actual: 0,
        });
        await store.append(s, [newEvent()], { expectedRevision: 'exists' });
        await expect(store.append(s, [newEvent()], { expectedRevision: 0 })).rejects.toMatchObject({ actual: 1 });
        await store.append(s, [newEvent()], { expectedRevision: 'any' });
        await store.append(s, [newEvent()]);
        expect((await store.readStream(s)).length).toBe(4);
      });

      it('lets exactly one of 50 racing appends at the same revision win', async () => {
        const s = stream('race');
        await store.append(s, [newEvent()]);
        const outcomes = await Promise.allSettled(
          Array.from({ length: 50 }, () => store.append(s, [newEvent()], { expectedRevision: 0 })),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(49);
        for (const l of lost) {
          expect(l.reason).toBeInstanceOf(RevisionConflictError);
          expect((l.reason as RevisionConflictError).actual).toBe(1);
        }
        expect((await store.readStream(s)).length).toBe(2);
      });

      it('treats a repeated event id with the same content as a no-op returning the original', async () => {
        const s = stream('idem');
        const event = newEvent();
        const first = await store.append(s, [event]);
        const head = await store.headPosition();
        const again = await store.append(s, [{ ...event }], { expectedRevision: 'no-stream' });
        expect(again.idempotent).toBe(true);
        expect(again.position).toBe(first.position);
        expect(again.revision).toBe(first.revision);
        expect(again.events[0].hash).toBe(first.events[0].hash);
        expect(await store.headPosition()).toBe(head);
      });

      it('refuses a repeated event id with different content', async () => {
        const s = stream('reuse');
        const event = newEvent();
        await store.append(s, [event]);
        const head = await store.headPosition();
        await expect(store.append(s, [{ ...event, data: { n: 2 } }])).rejects.toBeInstanceOf(EventIdReusedError);
        await expect(store.append(stream('other'), [event])).rejects.toMatchObject({ code: 'EVENT.ID_REUSED' });
        expect(await store.headPosition()).toBe(head);
      });

      it('chains hashes within a stream', async () => {
        const s = stream('chain');
        await store.append(s, [newEvent(), newEvent()]);
        await store.append(s, [newEvent()]);
        const events = await store.readStream(s);
        expect(events[0].prevHash).toBe(GENESIS_HASH);
        for (let i = 0; i < events.length; i++) {
          const { hash, position: _p, ...rest } = events[i];
          expect(hash).toBe(computeEventHash(rest));
          if (i > 0) expect(events[i].prevHash).toBe(events[i - 1].hash);
        }
      });
    });

    describe('reading', () => {
      it('reads a stream forwards, backwards, from a revision, with a limit', async () => {
        const s = stream('read');
        await store.append(s, [0, 1, 2, 3, 4].map((n) => newEvent('TestHappened', { n })));
        expect((await store.readStream(s, { fromRevision: 2, limit: 2 })).map((e) => e.data.n)).toEqual([2, 3]);
        expect((await store.readStream(s, { direction: 'backwards', limit: 2 })).map((e) => e.data.n)).toEqual([4, 3]);
        expect((await store.readStream(s, { direction: 'backwards', fromRevision: 1 })).map((e) => e.data.n)).toEqual([1, 0]);
        expect(await store.readStream(stream('missing'))).toEqual([]);
      });

      it("tells a stream's last revision, -1 for a stream with no events", async () => {
        const s = stream('revision');
        expect(await store.streamRevision(s)).toBe(-1);
        await store.append(s, [newEvent(), newEvent()]);
        expect(await store.streamRevision(s)).toBe(1);
        await store.append(s, [newEvent()]);
        await store.append(stream('other'), [newEvent()]);
        expect(await store.streamRevision(s)).toBe(2);
      });

      it('reads all in position order, after a position, filtered by type and stream prefix', async () => {
        const start = await store.headPosition();
        const a = stream('all-a');
        const b = `official-x${seq++}-${Date.now()}`;
        await store.append(a, [newEvent('LetterSent'), newEvent('DeadlineSet')]);
        await store.append(b, [newEvent('StatementIssued')]);
        await store.append(a, [newEvent('LetterSent')]);
        const all = await store.readAll({ after: start });
        expect(all.map((e) => e.type)).toEqual(['LetterSent', 'DeadlineSet', 'StatementIssued', 'LetterSent']);
        expect(isIncreasing(all)).toBe(true);
        expect((await store.readAll({ after: start, types: ['LetterSent'] })).length).toBe(2);
        expect((await store.readAll({ after: start, streamPrefixes: ['official-'] })).map((e) => e.streamId)).toEqual([b]);
        expect((await store.readAll({ after: all[1].position, limit: 1 })).map((e) => e.type)).toEqual(['StatementIssued']);
        expect((await store.readAll({ after: BEFORE_FIRST, limit: 1 })).length).toBe(1);
      });

      it('finds an event by id', async () => {
        const s = stream('get');
        const e = newEvent('LetterSent', { subject: 'x' });
        await store.append(s, [e]);
        const found = await store.getEvent(e.eventId);
        expect(found).toMatchObject({ eventId: e.eventId, streamId: s, revision: 0, data: { subject: 'x' } });
        expect(await store.getEvent('00000000-0000-4000-8000-000000000000')).toBeNull();
      });
    });

    describe('subscribing', () => {
      it('catches up, then follows live appends with no gap and no duplicate', async () => {
        const start = await store.headPosition();
        const s = stream('sub');
        const before = Array.from({ length: 30 }, (_, n) => newEvent('TestHappened', { n }));
        for (const e of before) await store.append(s, [e]);
        const seen: EventEnvelope[] = [];
        const sub = store.subscribe(start, { streamPrefixes: [s] }).subscribe((e) => seen.push(e));
        const writes: Promise<unknown>[] = [];
        for (let n = 30; n < 80; n++) writes.push(store.append(s, [newEvent('TestHappened', { n })]));
        await Promise.all(writes);
        await waitFor(() => seen.length >= 80, 15000, '80 events');
        await new Promise((r) => setTimeout(r, 300));
        sub.unsubscribe();
        expect(seen.length).toBe(80);
        expect(new Set(seen.map((e) => e.eventId)).size).toBe(80);
        expect(isIncreasing(seen)).toBe(true);
        expect(seen.slice(0, 30).map((e) => e.data.n)).toEqual(before.map((e) => e.data.n));
      });

      it('filters a subscription by type', async () => {
        const start = await store.headPosition();
        const s = stream('subf');
        const seen: EventEnvelope[] = [];
        const sub = store.subscribe(start, { types: ['LetterSent'], streamPrefixes: [s] }).subscribe((e) => seen.push(e));
        await store.append(s, [newEvent('LetterSent'), newEvent('DeadlineSet'), newEvent('LetterSent')]);
        await waitFor(() => seen.length >= 2, 10000, 'two letters');
        sub.unsubscribe();
        expect(seen.map((e) => e.type)).toEqual(['LetterSent', 'LetterSent']);
      });

      it('delivers each match of a filtered subscription once while unwanted events keep coming', async () => {
        const start = await store.headPosition();
        const s = stream('subskip');
        const seen: EventEnvelope[] = [];
        const sub = store.subscribe(start, { types: ['LetterSent'], streamPrefixes: [s] }).subscribe((e) => seen.push(e));
        // More unwanted events than a page between two matches, then matches among single
        // unwanted appends (a wake-up each).
        await store.append(s, [newEvent('LetterSent', { n: 0 })]);
        await store.append(s, Array.from({ length: 700 }, () => newEvent('DeadlineSet')));
        await store.append(s, [newEvent('LetterSent', { n: 1 })]);
        for (let n = 2; n < 12; n++) {
          await store.append(s, [newEvent('DeadlineSet')]);
          await store.append(s, [newEvent('LetterSent', { n })]);
          await store.append(s, [newEvent('DeadlineSet')]);
        }
        await waitFor(() => seen.length >= 12, 15000, 'twelve letters');
        await new Promise((r) => setTimeout(r, 300));
        sub.unsubscribe();
        expect(seen.map((e) => e.data.n)).toEqual(Array.from({ length: 12 }, (_, n) => n));
        expect(isIncreasing(seen)).toBe(true);
      });
    });

    describe('durability', () => {
      it('keeps everything across a reopen', async () => {
        const s = stream('reopen');
        const written = await store.append(s, [newEvent(), newEvent()]);
        store = await handle.reopen();
        const events = await store.readStream(s);
        expect(events.map((e) => e.hash)).toEqual(written.events.map((e) => e.hash));
        const next = await store.append(s, [newEvent()], { expectedRevision: 1 });
        expect(next.events[0].prevHash).toBe(written.events[1].hash);
        expect(next.position).toBeGreaterThan(written.position);
      });
    });
  });
}

function isIncreasing(events: EventEnvelope[]): boolean {
  return events.every((e, i) => i === 0 || e.position > events[i - 1].position);
}
