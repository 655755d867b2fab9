import type { EventStore } from '@ledger/event-store';
import type { Clock, ReadModelDb } from '@ledger/platform';
import { DeadlineWatcher, type LapseRecorder } from '../deadlines/deadline-watcher';
import type { Lease } from './lease';
import { ProjectionRunner, type RunnerLog, type RunnerOptions } from './projection-runner';

export interface ProjectorOptions {
  /** Also run the deadline watcher (every worker may: its appends are idempotent). */
  recorder?: LapseRecorder;
  clock: Clock;
  watcherIntervalMs?: number;
  runner?: RunnerOptions;
  log?: RunnerLog;
}

/**
 * The background side of the projections in one process: waits for the lease, runs the
 * projector while it holds it, stands by again if it loses it; runs the deadline watcher
 * throughout. The same class serves the embedded api and apps/ledger-worker.
 */
export class Projector {
  readonly runner: ProjectionRunner;
  readonly watcher: DeadlineWatcher | null;
  private readonly abort = new AbortController();
  private stopped = false;
  private stopSignal!: () => void;
  private readonly stopping = new Promise<void>((r) => (this.stopSignal = r));
  private leading?: Promise<void>;
  private markStarted!: () => void;
  private readonly firstStart = new Promise<void>((r) => (this.markStarted = r));
  private readonly log: RunnerLog;

  constructor(
    store: EventStore,
    private readonly writeDb: ReadModelDb,
    readonly lease: Lease,
    options: ProjectorOptions,
  ) {
    this.log = options.log ?? (() => undefined);
    this.runner = new ProjectionRunner(store, writeDb, { log: this.log, ...options.runner });
    this.watcher = options.recorder
      ? new DeadlineWatcher(store, options.recorder, options.clock, { intervalMs: options.watcherIntervalMs, log: this.log })
      : null;
  }

  get isLeader(): boolean {
    return this.lease.held && this.runner.isRunning;
  }

  /** Returns at once: leadership is awaited in the background. */
  async start(): Promise<void> {
    this.leading ??= this.lead();
    if (this.watcher) {
      this.watcher.start().catch((error) => this.log('error', 'deadline watcher failed to start', { error: String(error) }));
    }
  }

  /**
   * Resolves when this process has become the leader and set up the tables, or after
   * `timeoutMs` (another process may hold the lease). Lets a starting api wait for its
   * own projector without hanging behind someone else's.
   */
  async started(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeoutMs)));
    const result = await Promise.race([this.firstStart.then(() => true), timeout]);
    clearTimeout(timer);
    return result;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.markStarted();
    this.abort.abort();
    this.stopSignal();
    await this.watcher?.stop();
    await this.leading;
  }

  private async lead(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.lease.acquire(this.abort.signal);
      } catch {
        return; // stopped while waiting
      }
      if (this.stopped) break;
      this.log('info', 'projector lease acquired', { holder: this.lease.holder, database: this.writeDb.location });
      const lost = new Promise<void>((resolve) => this.lease.onLost(resolve));
      try {
        await this.runner.start();
        this.markStarted();
        await Promise.race([lost, this.stopping]);
      } catch (error) {
        this.log('error', 'projector failed', { error: String(error) });
      }
      await this.runner.stop();
      if (!this.stopped) {
        this.log('warn', 'projector lease lost; standing by');
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    await this.lease.release();
  }
}
