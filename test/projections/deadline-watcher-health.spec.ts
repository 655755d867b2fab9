import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ledger/event-store';
import { ManualClock } from '@ledger/platform';
import { DeadlineWatcher } from '@ledger/projections';
import { Recorder } from '@ledger/recorder';

const SOURCE = { publication: 'TheBlaze', url: 'https://www.theblaze.com/news/2018/01/24/doj-demands-immigration-related-papers' };
const META = { recordedBy: 'test-recorder' };

/**
 * /health shows whether the watcher has read the deadlines recorded before it started: on a
 * large ledger that load runs for seconds after the api answers, and a deadline due meanwhile
 * lapses only once it is done.
 */
describe('the deadline watcher, as /health reports it', () => {
  let dir: string;
  let store: SqliteEventStore;
  let recorder: Recorder;
  const clock = new ManualClock(new Date('2018-01-24T18:00:00Z'));

  const register = (jurisdiction: string) =>
    recorder.record({ type: 'JurisdictionRegistered', streamId: `jurisdiction-${jurisdiction}`, data: { name: jurisdiction, kind: 'city', state: 'IL' } }, META);
  const letter = (jurisdiction: string) =>
    recorder.record(
      {
        type: 'LetterSent',
        streamId: `jurisdiction-${jurisdiction}`,
        occurredAt: '2018-01-24',
        source: SOURCE,
        data: { letterId: 'doj-2018-01-24', from: 'organization:us-doj', subject: 'Documents', demands: ['All documents'], threats: ['subpoena'] },
      },
      META,
    );
  const deadline = (jurisdiction: string) =>
    recorder.record(
      {
        type: 'DeadlineSet',
        streamId: `jurisdiction-${jurisdiction}`,
        occurredAt: '2018-01-24',
        source: SOURCE,
        data: { deadlineId: 'd-1', letterId: 'doj-2018-01-24', dueAt: '2018-02-23', requirement: 'Produce the documents' },
      },
      META,
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-watcher-health-'));
    store = new SqliteEventStore({ file: join(dir, 'ledger.sqlite'), clock: () => clock.now(), pollIntervalMs: 10 });
    recorder = new Recorder(store, clock);
    for (const j of ['chicago-il', 'denver-co', 'new-york-ny']) {
      await register(j);
      await letter(j);
    }
    await deadline('chicago-il');
    await deadline('denver-co');
  });

  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('not loaded before its start has read the log; then the streams and open deadlines it holds; not loaded once stopped', async () => {
    const watcher = new DeadlineWatcher(store, recorder, clock, { intervalMs: 3_600_000 });
    expect(watcher.health()).toEqual({ loaded: false, watchedStreams: 0, openDeadlineStreams: 0 });
    const starting = watcher.start();
    expect(watcher.health().loaded).toBe(false); // the load awaits the store before it folds anything
    await starting;
    expect(watcher.health()).toEqual({ loaded: true, watchedStreams: 3, openDeadlineStreams: 2 });

    // Followed after the load: a third deadline opens, and is counted once seen.
    const set = await deadline('new-york-ny');
    for (let i = 0; i < 200 && watcher.seenPosition < set.position; i++) await new Promise((r) => setTimeout(r, 10));
    expect(watcher.health()).toEqual({ loaded: true, watchedStreams: 3, openDeadlineStreams: 3 });

    await watcher.stop();
    expect(watcher.health().loaded).toBe(false);
  });
});
