import type { StreamState } from '@ledger/domain';

/** One in this many states taken in while the cache is full goes in as a resident straight away. */
const ADMIT_EVERY = 32;

/**
 * The states of recently written streams, so that a write does not re-read and re-fold its
 * whole stream. Bounded by the number of facts held (long streams weigh more). A cached state
 * may be stale when another process wrote the stream; the recorder appends with the cached
 * revision as the expected one, so staleness shows up as a revision conflict and the
 * recorder retries from the store.
 *
 * Eviction is least recently used, except for a state taken in while the cache is full: it
 * is held as the newcomer, and the next newcomer replaces it unless it was asked for again
 * in between. Writers that go round more streams than the bound holds (the soak's 200
 * jurisdictions of 1,000+ letters each, 232k facts against 200k) made plain LRU evict every
 * state just before it was needed: each write re-read its whole stream, and appends fell
 * from about 850/s to 50–70/s. This way the states already held stay, and most writes
 * still find theirs. One newcomer in ADMIT_EVERY is taken in as a resident regardless, so
 * that a new set of busy streams still replaces an old one.
 */
export class StreamStateCache {
  private readonly states = new Map<string, StreamState>();
  private facts = 0;
  /** The state taken in last while the cache was full, until it is asked for again. */
  private newcomer?: string;
  private takenIn = 0;

  constructor(private readonly maxFacts = 200_000) {}

  get(streamId: string): StreamState | undefined {
    const state = this.states.get(streamId);
    if (state) {
      // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
      this.states.delete(streamId);
      this.states.set(streamId, state);
      if (this.newcomer === streamId) this.newcomer = undefined;
    }
    return state;
  }

  set(state: StreamState): void {
    const held = this.states.get(state.streamId);
    if (held) {
      // A newer state of a stream already held keeps its place (get() moved it when it was used).
      this.facts += state.facts.length - held.facts.length;
      this.states.set(state.streamId, state);
      if (state.facts.length > this.maxFacts) this.delete(state.streamId);
      else this.evictBeyondBound(state.streamId);
      return;
    }
    if (state.facts.length > this.maxFacts) return;
    const full = this.facts + state.facts.length > this.maxFacts;
    if (full && this.newcomer !== undefined) this.delete(this.newcomer);
    this.states.set(state.streamId, state);
    this.facts += state.facts.length;
    this.newcomer = full && ++this.takenIn % ADMIT_EVERY !== 0 ? state.streamId : undefined;
    this.evictBeyondBound(state.streamId);
  }

  delete(streamId: string): void {
    const old = this.states.get(streamId);
    if (!old) return;
    this.states.delete(streamId);
    this.facts -= old.facts.length;
    if (this.newcomer === streamId) this.newcomer = undefined;
  }

  get size(): number {
    return this.states.size;
  }

  /** Least recently used first, never the state just stored. */
  private evictBeyondBound(keep: string): void {
    for (const [oldest, old] of this.states) {
      if (this.facts <= this.maxFacts) break;
      if (oldest === keep) continue;
      this.states.delete(oldest);
      this.facts -= old.facts.length;
      if (this.newcomer === oldest) this.newcomer = undefined;
    }
  }
}
