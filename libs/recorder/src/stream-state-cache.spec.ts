import { emptyStream, evolve, type StreamState } from '@ledger/domain';
import { StreamStateCache } from './stream-state-cache';

/** A stream state with `facts` facts. */
function stateOf(streamId: string, facts: number): StreamState {
  let state = emptyStream(streamId);
  for (let i = 0; i < facts; i++) {
    state = evolve(state, { eventId: `${streamId}-${i}`, type: 'LetterSent', occurredAt: '2018-01-24', occurredAtPrecision: 'day', data: {}, metadata: { recordedBy: 't', schemaVersion: 1 } });
  }
  return state;
}

/** What the recorder does per write: use the cached state, or read the stream and store it. */
function write(cache: StreamStateCache, streamId: string, facts: number): boolean {
  const hit = cache.get(streamId) !== undefined;
  cache.set(stateOf(streamId, facts));
  return hit;
}

describe('stream state cache', () => {
  test('writers going round more streams than it holds still find most states', () => {
    // 110 streams of 10 facts against room for 1,000: plain LRU evicted each state just
    // before its next write, so no write after the first round found its state.
    const cache = new StreamStateCache(1000);
    let hits = 0;
    let writes = 0;
    for (let round = 0; round < 10; round++) {
      for (let s = 0; s < 110; s++) {
        const hit = write(cache, `jurisdiction-${s}`, 10);
        if (round > 0) {
          writes++;
          if (hit) hits++;
        }
      }
    }
    expect(hits / writes).toBeGreaterThan(0.8);
  });

  test('stays within its bound of facts, counting a stream once however often it is stored', () => {
    const cache = new StreamStateCache(100);
    for (let i = 0; i < 500; i++) write(cache, `s-${i % 37}`, 1 + (i % 9));
    let held = 0;
    for (let s = 0; s < 37; s++) held += cache.get(`s-${s}`)?.facts.length ?? 0;
    expect(held).toBeLessThanOrEqual(100);
    expect(cache.size).toBeGreaterThan(0);
  });

  test('keeps the newest state of a stream it holds', () => {
    const cache = new StreamStateCache(100);
    cache.set(stateOf('a', 3));
    cache.set(stateOf('a', 5));
    expect(cache.get('a')?.facts).toHaveLength(5);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
  });

  test('does not hold a stream longer than the bound, nor keep an older state of one that outgrew it', () => {
    const cache = new StreamStateCache(10);
    cache.set(stateOf('long', 11));
    expect(cache.get('long')).toBeUndefined();
    cache.set(stateOf('growing', 10));
    cache.set(stateOf('growing', 11));
    expect(cache.get('growing')).toBeUndefined();
  });

  test('a new set of busy streams replaces the old one', () => {
    const cache = new StreamStateCache(100);
    for (let round = 0; round < 3; round++) for (let s = 0; s < 10; s++) write(cache, `old-${s}`, 10);
    // The old streams go quiet; ten others are written from now on.
    let hits = 0;
    for (let round = 0; round < 200; round++) for (let s = 0; s < 10; s++) if (write(cache, `new-${s}`, 10) && round >= 150) hits++;
    expect(hits).toBe(500);
  });
});
