import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { ManualClock } from '@ledger/platform';
import { DeadlineWatcher } from '@ledger/projections';
import { Recorder } from '@ledger/recorder';
import { deadlineEvents } from './support/deadline-events';

/**
 * The watcher skips its scan of waiting streams until the earliest known due moment: a
 * deadline set later, with an earlier due date than every one seen so far, must still lapse
 * on time, and nothing may lapse early.
 */
describe('the deadline watcher, as due moments come and go', () => {
  let dir: string;
  let store: SqliteEventStore;
  let recorder: Recorder;
  let watcher: DeadlineWatcher;
  const clock = new ManualClock(new Date('2018-01-24T18:00:00Z'));

  const letterWithDeadline = async (jurisdiction: string, dueAt: string) => {
    const events = deadlineEvents(recorder);
    await events.register(jurisdiction);
    await events.letter(jurisdiction);
    return (await events.deadline(jurisdiction, dueAt, `d-${dueAt}`)).position;
  };

  /** Ticks until the watcher has seen `position` (it follows the store's subscription). */
  const tickAfter = async (position: number) => {
    for (let i = 0; i < 200 && watcher.seenPosition < position; i++) await new Promise((r) => setTimeout(r, 10));
    expect(watcher.seenPosition).toBeGreaterThanOrEqual(position);
    return (await watcher.tick()).filter((l) => l.appended).map((l) => `${l.streamId} ${l.deadlineId}`);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-watcher-'));
    store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite'), clock: () => clock.now(), pollIntervalMs: 10 });
    recorder = new Recorder(store, clock);
    await letterWithDeadline('late-town', '2018-03-15');
    watcher = new DeadlineWatcher(store, recorder, clock, { intervalMs: 3_600_000 });
    await watcher.start();
  });

  afterAll(async () => {
    await watcher.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('nothing lapses before its due period ends', async () => {
    clock.set('2018-03-15T12:00:00Z');
    expect(await tickAfter(await store.headPosition())).toEqual([]);
  });

  test('a deadline seen later with an earlier due date lapses when it is due', async () => {
    clock.set('2018-02-01T00:00:00Z');
    const position = await letterWithDeadline('early-town', '2018-02-10');
    expect(await tickAfter(position)).toEqual([]);
    clock.set('2018-02-11T06:00:00Z');
    expect(await tickAfter(position)).toEqual(['jurisdiction-early-town d-2018-02-10']);
    expect(await tickAfter(position)).toEqual([]);
  });

  test('the first deadline lapses once its own due moment comes', async () => {
    clock.set('2018-03-16T06:00:00Z');
    expect(await tickAfter(await store.headPosition())).toEqual(['jurisdiction-late-town d-2018-03-15']);
    expect(await tickAfter(await store.headPosition())).toEqual([]);
  });
});
