import type { StreamState } from '@ledger/domain';

/**
 * The states of recently written streams, so that a write does not re-read and re-fold its
 * whole stream. Bounded by the number of facts held (long streams weigh more), evicting the
 * least recently used. A cached state may be stale when another process wrote the stream;
 * the recorder appends with the cached revision as the expected one, so staleness shows up
 * as a revision conflict and the recorder retries from the store.
 */
export class StreamStateCache {
  private readonly states = new Map<string, StreamState>();
  private facts = 0;

  constructor(private readonly maxFacts = 200_000) {}

  get(streamId: string): StreamState | undefined {
    const state = this.states.get(streamId);
    if (state) {
      // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
      this.states.delete(streamId);
      this.states.set(streamId, state);
    }
    return state;
  }

  set(state: StreamState): void {
    this.delete(state.streamId);
    if (state.facts.length > this.maxFacts) return;
    this.states.set(state.streamId, state);
    this.facts += state.facts.length;
    for (const [oldest, old] of this.states) {
      if (this.facts <= this.maxFacts) break;
      this.states.delete(oldest);
      this.facts -= old.facts.length;
    }
  }

  delete(streamId: string): void {
    const old = this.states.get(streamId);
    if (!old) return;
    this.states.delete(streamId);
    this.facts -= old.facts.length;
  }

  get size(): number {
    return this.states.size;
  }
}
