import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { ManualClock } from '@ledger/platform';
import { DeadlineWatcher } from '@ledger/projections';
import { Recorder } from '@ledger/recorder';
import { deadlineEvents } from './support/deadline-events';

/**
 * The watcher holds a stream only while it has a deadline neither answered nor lapsed. A
 * settled stream is let go; what it did before must still count when a deadline, a
 * correction or a retraction unsettles it again, and what comes after must count once.
 */
describe('the deadline watcher lets settled streams go and reads them again when they unsettle', () => {
  let dir: string;
  let store: SqliteEventStore;
  let recorder: Recorder;
  let watcher: DeadlineWatcher;
  let events: ReturnType<typeof deadlineEvents>;
  const clock = new ManualClock(new Date('2018-01-24T18:00:00Z'));

  /**
   * chicago-il with letters l-1 (and `more`), deadline d-1 on l-1 answered, then the
   * watcher started: it holds nothing. The response, for fixes to target.
   */
  const settledStream = async (...more: string[]) => {
    await events.register('chicago-il');
    for (const letterId of ['l-1', ...more]) await events.letter('chicago-il', letterId);
    await events.deadline('chicago-il', '2018-02-23', 'd-1', 'l-1');
    const answered = await events.response('chicago-il', 'l-1');
    await watcher.start();
    expect(watcher.health().heldStreams).toBe(0);
    return answered.events[0].eventId;
  };

  /** Waits until the watcher has followed the log to its head, then ticks: the lapses it appended. */
  const caughtUpTick = async () => {
    const head = await store.headPosition();
    for (let i = 0; i < 300 && watcher.seenPosition < head; i++) await new Promise((r) => setTimeout(r, 10));
    expect(watcher.seenPosition).toBe(head);
    return (await watcher.tick()).map((l) => `${l.streamId} ${l.deadlineId} ${l.appended}`).sort();
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-watcher-settled-'));
    clock.set('2018-01-24T18:00:00Z');
    store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite'), clock: () => clock.now(), pollIntervalMs: 10 });
    recorder = new Recorder(store, clock);
    events = deadlineEvents(recorder);
    watcher = new DeadlineWatcher(store, recorder, clock, { intervalMs: 3_600_000 });
  });

  afterEach(async () => {
    await watcher.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('holds only the streams with an open deadline, at start and as they settle', async () => {
    for (const j of ['chicago-il', 'denver-co', 'new-york-ny']) {
      await events.register(j);
      await events.letter(j, 'l-1');
    }
    await events.deadline('chicago-il', '2018-02-23', 'd-1', 'l-1');
    await events.deadline('denver-co', '2018-02-23', 'd-1', 'l-1');
    await events.response('denver-co', 'l-1');
    await watcher.start();
    expect(watcher.health()).toMatchObject({ heldStreams: 1, openDeadlineStreams: 1 });

    // Letters to a settled stream are passed over: nothing is held for them.
    for (let i = 2; i <= 20; i++) await events.letter('denver-co', `l-${i}`);
    await events.response('chicago-il', 'l-1');
    expect(await caughtUpTick()).toEqual([]);
    expect(watcher.health()).toMatchObject({ heldStreams: 0, openDeadlineStreams: 0 });
  });

  test('a new deadline on a settled stream is decided on the whole stream: it lapses, the answered one does not', async () => {
    await settledStream();

    await events.letter('chicago-il', 'l-2');
    await events.deadline('chicago-il', '2018-03-01', 'd-2', 'l-2');
    // A deadline on the answered letter, set after the stream was let go: the response,
    // recorded before, must still be known to the watcher, so this one never lapses.
    await events.deadline('chicago-il', '2018-03-01', 'd-3', 'l-1');
    expect(await caughtUpTick()).toEqual([]);
    expect(watcher.health()).toMatchObject({ heldStreams: 1, openDeadlineStreams: 1 });

    clock.set('2018-03-02T12:00:00Z');
    expect(await caughtUpTick()).toEqual(['jurisdiction-chicago-il d-2 true']);
    // The lapse is followed like any event: the stream is settled again and let go.
    expect(await caughtUpTick()).toEqual([]);
    expect(watcher.health()).toMatchObject({ heldStreams: 0, openDeadlineStreams: 0 });
  });

  test('retracting the response that settled a stream reopens its deadline, which then lapses', async () => {
    const answered = await settledStream();

    await events.fix('chicago-il', 'EventRetracted', { targetEventId: answered, reason: 'the city says it sent nothing' });
    clock.set('2018-02-24T12:00:00Z');
    expect(await caughtUpTick()).toEqual(['jurisdiction-chicago-il d-1 true']);
  });

  test("correcting the response's letter reopens the deadline of the letter it no longer answers", async () => {
    const answered = await settledStream('l-2');

    await events.fix('chicago-il', 'CorrectionRecorded', {
      targetEventId: answered,
      changes: [{ path: 'data.letterId', from: 'l-1', to: 'l-2' }],
      reason: 'the response was to the second letter',
    });
    clock.set('2018-02-24T12:00:00Z');
    expect(await caughtUpTick()).toEqual(['jurisdiction-chicago-il d-1 true']);
  });

  test('a stream that cannot be read again for a while is tried until it is: its deadline still lapses, and nothing after it is seen first', async () => {
    await events.register('chicago-il');
    await events.letter('chicago-il', 'l-1');
    await watcher.stop();
    // The log's reads fail twice, as an EventStoreDB out of reach would (the store itself is real).
    let failures = 2;
    const seenAtFailures: number[] = [];
    const flaky = new Proxy(store, {
      get(target, prop) {
        if (prop === 'readStream' && failures > 0) {
          return async () => {
            failures -= 1;
            seenAtFailures.push(watcher.seenPosition);
            throw new Error('UNAVAILABLE: connection refused');
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const warnings: string[] = [];
    watcher = new DeadlineWatcher(flaky, recorder, clock, { intervalMs: 3_600_000, retryMs: 20, log: (level, message) => level === 'warn' && warnings.push(message) });
    await watcher.start();
    const set = await events.deadline('chicago-il', '2018-02-23', 'd-1', 'l-1');
    const after = await events.letter('chicago-il', 'l-2');
    expect(after.position).toBeGreaterThan(set.position);
    clock.set('2018-02-24T12:00:00Z');
    expect(await caughtUpTick()).toEqual(['jurisdiction-chicago-il d-1 true']);
    expect(failures).toBe(0);
    // While the deadline's stream could not be read, the letter after it waited.
    expect(seenAtFailures).toHaveLength(2);
    for (const seen of seenAtFailures) expect(seen).toBeLessThan(set.position);
    expect(warnings).toEqual(['deadline watcher could not read a stream again; will retry', 'deadline watcher could not read a stream again; will retry']);
  });

  test('events appended while a stream is read again are counted once: two deadlines lapse once each', async () => {
    await events.register('chicago-il');
    await events.letter('chicago-il', 'l-1');
    await events.letter('chicago-il', 'l-2');
    await watcher.start();
    expect(watcher.health().heldStreams).toBe(0);

    // Both in the log before the watcher follows either (one append): the read for the
    // first must not fold the second, which the subscription brings next.
    await store.append(events.streamId('chicago-il'), [
      events.deadlineEvent('chicago-il', '2018-02-23', 'd-1', 'l-1'),
      events.deadlineEvent('chicago-il', '2018-02-23', 'd-2', 'l-2'),
    ]);
    clock.set('2018-02-24T12:00:00Z');
    expect(await caughtUpTick()).toEqual(['jurisdiction-chicago-il d-1 true', 'jurisdiction-chicago-il d-2 true']);
    expect(await caughtUpTick()).toEqual([]);
  });
});
