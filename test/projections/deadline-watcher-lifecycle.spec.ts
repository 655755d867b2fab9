import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { ManualClock } from '@ledger/platform';
import { DeadlineWatcher } from '@ledger/projections';
import { Recorder } from '@ledger/recorder';
import { deadlineEvents } from './support/deadline-events';

/**
 * Start, load, stop, start again. /health shows whether the watcher has read the deadlines
 * recorded before it started: on a large ledger that load runs for seconds after the api
 * answers, and a deadline due meanwhile lapses only once it is done. A second start reads
 * the log afresh instead of folding it again into what the first one held.
 */
const DUE = '2018-02-23';

describe('the deadline watcher, from start to stop and again', () => {
  let dir: string;
  let store: SqliteEventStore;
  let recorder: Recorder;
  let events: ReturnType<typeof deadlineEvents>;
  const clock = new ManualClock(new Date('2018-01-24T18:00:00Z'));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-watcher-lifecycle-'));
    store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite'), clock: () => clock.now(), pollIntervalMs: 10 });
    recorder = new Recorder(store, clock);
    events = deadlineEvents(recorder);
    for (const j of ['chicago-il', 'denver-co', 'new-york-ny']) {
      await events.register(j);
      await events.letter(j);
    }
    await events.deadline('chicago-il', DUE);
    await events.deadline('denver-co', DUE);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('not loaded before its start has read the log; then the streams with open deadlines, which it holds; not loaded once stopped', async () => {
    const watcher = new DeadlineWatcher(store, recorder, clock, { intervalMs: 3_600_000 });
    expect(watcher.health()).toEqual({ loaded: false, heldStreams: 0, openDeadlineStreams: 0 });
    const starting = watcher.start();
    expect(watcher.health().loaded).toBe(false); // the load awaits the store before it folds anything
    await starting;
    expect(watcher.health()).toEqual({ loaded: true, heldStreams: 2, openDeadlineStreams: 2 }); // new-york-ny has a letter, no deadline

    // Followed after the load: a third deadline opens, and is counted once seen.
    const set = await events.deadline('new-york-ny', DUE);
    for (let i = 0; i < 200 && watcher.seenPosition < set.position; i++) await new Promise((r) => setTimeout(r, 10));
    expect(watcher.health()).toEqual({ loaded: true, heldStreams: 3, openDeadlineStreams: 3 });

    await watcher.stop();
    expect(watcher.health().loaded).toBe(false);
  });

  test('started again after a stop, it loads the log afresh: each open deadline lapses once', async () => {
    const watcher = new DeadlineWatcher(store, recorder, clock, { intervalMs: 3_600_000 });
    await watcher.start();
    await watcher.stop();
    await watcher.start();
    try {
      expect(watcher.health()).toEqual({ loaded: true, heldStreams: 3, openDeadlineStreams: 3 });
      clock.set('2018-03-01T00:00:00Z');
      const lapses = await watcher.tick();
      expect(lapses.map((l) => `${l.streamId} ${l.deadlineId} ${l.appended}`).sort()).toEqual([
        'jurisdiction-chicago-il d-1 true',
        'jurisdiction-denver-co d-1 true',
        'jurisdiction-new-york-ny d-1 true',
      ]);
    } finally {
      await watcher.stop();
    }
  });

  test('stopped while still loading and started again, only the new start loads', async () => {
    await events.register('austin-tx');
    await events.letter('austin-tx');
    await events.deadline('austin-tx', '2018-04-02');
    const watcher = new DeadlineWatcher(store, recorder, clock, { intervalMs: 3_600_000 });
    const first = watcher.start();
    await watcher.stop();
    const second = watcher.start();
    await Promise.all([first, second]);
    try {
      // The three earlier deadlines have lapsed (above), so those streams are let go; austin-tx's is the one still open.
      expect(watcher.health()).toEqual({ loaded: true, heldStreams: 1, openDeadlineStreams: 1 });
      clock.set('2018-05-01T00:00:00Z');
      const lapses = await watcher.tick();
      expect(lapses.map((l) => `${l.streamId} ${l.deadlineId} ${l.appended}`)).toEqual(['jurisdiction-austin-tx d-1 true']);
    } finally {
      await watcher.stop();
    }
  });
});
