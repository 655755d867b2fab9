import type { EventEnvelope } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import type { ReadModelDb } from '@ledger/platform';
import type { Subscription } from 'rxjs';
import { readCheckpoints } from '../store/checkpoints';
import { resolveFixTargets } from './fix-targets';
import type { Member } from './member';

export interface LaneOptions {
  /** Events per readAll page while catching up. */
  pageSize: number;
  /** While catching up, keyed states are committed after this many events (default: only when caught up)… */
  flushEvery: number;
  /** …or this long after the last commit, so that a long rebuild's progress survives a crash. */
  flushEveryMs: number;
  /** Most events in one live batch. */
  liveBatch: number;
  /**
   * Least time between the starts of two live batches. Under a steady stream of appends a
   * commit per event cost the api more than the appends themselves (a read-model commit
   * per projection checkpoint, per event); waiting this long lets a batch gather the events
   * that arrive meanwhile. An event after a quiet spell is applied at once.
   */
  liveGapMs: number;
  /** Live events waiting beyond this: drop the subscription and read pages instead. */
  maxQueued: number;
  /** Pause after a failed batch before reloading the checkpoints and trying again. */
  retryMs: number;
  log: (level: 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>) => void;
  onCommitted: (lane: Lane) => void;
  /** Called once, inside the loop, the first time the lane reaches the head of the log. */
  onCaughtUp?: (lane: Lane) => Promise<void>;
}

export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A set of projections fed by one reader: pages while catching up (so that a rebuild
 * holds only a page in memory), then the store's live subscription. Each batch's rows and
 * the checkpoints are written in one transaction. Work that changes the set of members
 * (release, adopt) runs between batches, inside the loop, so it never races a batch.
 */
export class Lane {
  /** Last position read and evolved. */
  cursor: number;
  caughtUp = false;
  private queue: EventEnvelope[] = [];
  private live?: Subscription;
  private liveError?: unknown;
  private wake?: () => void;
  private readonly ops: (() => Promise<void>)[] = [];
  private stopping = false;
  private finished?: Promise<void>;
  private lastLiveBatchAt = 0;

  constructor(
    readonly name: string,
    readonly members: Member[],
    private readonly store: EventStore,
    private readonly readModel: ReadModelDb,
    private readonly options: LaneOptions,
  ) {
    this.cursor = this.lowest();
  }

  start(): void {
    this.finished ??= this.loop();
  }

  /** Stops after the batch in flight; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.finished;
  }

  /** For callers inside the loop (onCaughtUp): end after this turn. */
  stopSoon(): void {
    this.stopping = true;
  }

  /** Runs `work` between two batches; resolves with its result. */
  run<T>(work: () => Promise<T>): Promise<T> {
    if (this.stopping || !this.finished) return work();
    return new Promise<T>((resolve, reject) => {
      this.ops.push(() => work().then(resolve, reject));
      this.wake?.();
    });
  }

  /** Stops feeding a projection (its tables are about to be swapped). */
  release(name: string): Promise<Member | undefined> {
    return this.run(async () => {
      const i = this.members.findIndex((m) => m.name === name);
      if (i < 0) return undefined;
      if (this.members[i].hasWork()) await this.flush();
      return this.members.splice(i, 1)[0];
    });
  }

  /** Takes over projections that caught up elsewhere; those behind this lane are brought level first. */
  adopt(members: Member[]): Promise<void> {
    return this.run(async () => {
      const behind = members.filter((m) => m.position < this.cursor);
      let after = Math.min(...behind.map((m) => m.position));
      while (behind.length > 0 && after < this.cursor) {
        const page = await this.store.readAll({ after, limit: this.options.pageSize });
        const within = page.filter((e) => e.position <= this.cursor);
        if (within.length === 0) break;
        await this.evolveFor(behind, within);
        await this.flushMembers(behind);
        after = within[within.length - 1].position;
      }
      if (this.members.length === 0) this.cursor = Math.min(...members.map((m) => m.position));
      this.members.push(...members);
      this.options.onCommitted(this);
    });
  }

  private lowest(): number {
    return this.members.length ? Math.min(...this.members.map((m) => m.position)) : -1;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        await this.runOps();
        if (this.stopping) break;
        if (this.members.length === 0) {
          await this.idle();
        } else if (!this.live) {
          await this.readPage();
        } else {
          await this.followLive();
        }
      } catch (error) {
        if (this.stopping) break;
        this.options.log('error', `projection lane ${this.name} failed; retrying from the checkpoints`, { error: String((error as Error)?.stack ?? error) });
        await new Promise((r) => setTimeout(r, this.options.retryMs));
        await this.reset().catch((e) => this.options.log('error', 'reloading checkpoints failed', { error: String(e) }));
      }
    }
    this.unsubscribe();
  }

  private async readPage(): Promise<void> {
    // The SQLite adapters answer synchronously behind their promises: without this, a long
    // catch-up would never let timers and HTTP requests in (the api runs this in-process).
    await yieldToEventLoop();
    const page = await this.store.readAll({ after: this.cursor, limit: this.options.pageSize });
    if (page.length > 0) await this.evolve(page);
    if (page.length < this.options.pageSize) {
      await this.flush();
      if (!this.caughtUp) {
        this.caughtUp = true;
        await this.options.onCaughtUp?.(this);
        this.options.onCommitted(this);
      }
      if (!this.stopping && this.members.length > 0) this.subscribe();
    } else {
      const now = Date.now();
      const due = this.members.filter((m) => m.wantsFlush(this.options.flushEvery, this.options.flushEveryMs, now));
      if (due.length) await this.flushMembers(due);
    }
  }

  private async followLive(): Promise<void> {
    if (this.queue.length === 0 && this.liveError === undefined) await this.idle();
    if (this.liveError !== undefined) {
      const error = this.liveError;
      this.unsubscribe();
      throw error;
    }
    if (this.queue.length > this.options.maxQueued) {
      this.unsubscribe(); // fallen behind: pages are cheaper than a growing queue
      return;
    }
    const gap = this.lastLiveBatchAt + this.options.liveGapMs - Date.now();
    if (gap > 0 && !this.stopping) await new Promise((resolve) => setTimeout(resolve, gap));
    this.lastLiveBatchAt = Date.now();
    const batch = this.queue.splice(0, this.options.liveBatch).filter((e) => e.position > this.cursor);
    if (batch.length > 0) {
      await this.evolve(batch);
      await this.flush();
    }
  }

  private subscribe(): void {
    this.queue = [];
    this.liveError = undefined;
    this.live = this.store.subscribe(this.cursor).subscribe({
      next: (event) => {
        this.queue.push(event);
        this.wake?.();
      },
      error: (error) => {
        this.liveError = error ?? new Error('subscription ended');
        this.wake?.();
      },
    });
  }

  private unsubscribe(): void {
    this.live?.unsubscribe();
    this.live = undefined;
    this.queue = [];
  }

  private idle(): Promise<void> {
    if (this.ops.length || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = () => {
        this.wake = undefined;
        resolve();
      };
    });
  }

  private async runOps(): Promise<void> {
    while (this.ops.length) await this.ops.shift()!();
  }

  private async evolve(events: EventEnvelope[]): Promise<void> {
    await this.evolveFor(this.members, events);
    this.cursor = events[events.length - 1].position;
  }

  private async evolveFor(members: readonly Member[], events: EventEnvelope[]): Promise<void> {
    const contexts = await resolveFixTargets(events, (id) => this.store.getEvent(id));
    for (const member of members) await member.evolve(this.readModel.db, this.readModel.dialect, events, contexts);
  }

  async flush(): Promise<void> {
    await this.flushMembers(this.members);
  }

  private async flushMembers(members: readonly Member[]): Promise<void> {
    const owing = members.filter((m) => m.hasWork());
    if (owing.length === 0) return;
    await this.readModel.db.transaction().execute(async (trx) => {
      for (const member of owing) await member.write(trx, this.readModel.dialect);
    });
    for (const member of owing) member.committed();
    this.options.onCommitted(this);
  }

  /** After a failure: forget uncommitted work, reload the checkpoints, read pages again. */
  private async reset(): Promise<void> {
    this.unsubscribe();
    const checkpoints = await readCheckpoints(this.readModel.db);
    for (const member of this.members) member.reset(checkpoints.get(member.checkpoint)?.position ?? member.position);
    this.cursor = this.lowest();
  }
}
