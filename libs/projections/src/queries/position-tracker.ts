import { LedgerError } from '@ledger/domain';
import type { ReadModelDb } from '@ledger/platform';
import type { Observable, Subscription } from 'rxjs';
import { readCheckpoints } from '../store/checkpoints';
import { ensureCheckpointTable } from '../store/schema';

export interface PositionTrackerOptions {
  /** How long a query with minPosition may wait for the projections (default 5 s). */
  waitMs: number;
  /** How often to read the checkpoints while someone waits. */
  pollMs?: number;
  /** Seconds a 503 tells the client to wait. */
  retryAfterSeconds?: number;
}

/**
 * What the query side knows of the projections' positions: pushed by the runner when it
 * runs in this process, read from the checkpoints otherwise (a separate worker). Answers
 * read-your-writes waits and the position header.
 */
export class PositionTracker {
  private positions = new Map<string, number>();
  private readAt = 0;
  private pushed?: Subscription;
  private reading?: Promise<void>;
  private ensured = false;

  constructor(
    private readonly readModel: ReadModelDb,
    private readonly options: PositionTrackerOptions,
    source?: Observable<ReadonlyMap<string, number>>,
  ) {
    if (source) this.follow(source);
  }

  /** Takes positions pushed by a runner in this process (no polling lag). */
  follow(source: Observable<ReadonlyMap<string, number>>): void {
    this.pushed?.unsubscribe();
    this.pushed = source.subscribe((positions) => {
      for (const [name, position] of positions) this.positions.set(name, position);
    });
  }

  close(): void {
    this.pushed?.unsubscribe();
  }

  /** The position every one of these projections has reached (-1 when unknown). */
  position(names: readonly string[]): number {
    let min = Infinity;
    for (const name of names) min = Math.min(min, this.positions.get(name) ?? -1);
    return min === Infinity ? -1 : min;
  }

  /** Reads the checkpoints unless they were read within `maxAgeMs`. */
  async refresh(maxAgeMs = 0): Promise<void> {
    if (Date.now() - this.readAt <= maxAgeMs && this.readAt > 0) return;
    this.reading ??= (async () => {
      try {
        if (!this.ensured) this.ensured = await ensureCheckpointTable(this.readModel.db).then(() => true, () => false);
        const checkpoints = await readCheckpoints(this.readModel.reads);
        for (const [name, cp] of checkpoints) this.positions.set(name, cp.position);
        this.readAt = Date.now();
      } finally {
        this.reading = undefined;
      }
    })();
    await this.reading;
  }

  /**
   * Waits (bounded) until the projections reach minPosition; returns their position. Past
   * the bound: 503 PROJECTION.BEHIND with Retry-After.
   */
  async waitFor(names: readonly string[], minPosition: number | undefined, waitMs = this.options.waitMs): Promise<number> {
    if (minPosition === undefined) {
      await this.refresh(this.pushed ? 1000 : 100);
      return this.position(names);
    }
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (this.position(names) >= minPosition) return this.position(names);
      await this.refresh(0);
      if (this.position(names) >= minPosition) return this.position(names);
      if (Date.now() >= deadline) {
        const retryAfter = this.options.retryAfterSeconds ?? 1;
        throw new LedgerError('PROJECTION.BEHIND', `The projections are at position ${this.position(names)}, not yet at ${minPosition}; retry.`, {
          minPosition,
          position: this.position(names),
          retryAfter,
        });
      }
      await new Promise((r) => setTimeout(r, Math.min(this.options.pollMs ?? 15, Math.max(1, deadline - Date.now()))));
    }
  }
}
