import type { EventEnvelope } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import type { Clock } from '@ledger/platform';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { retry, timer, type Subscription as RxSubscription } from 'rxjs';
import type { WebhookSettings } from '../config/webhook-settings';
import { webhookMetrics } from '../delivery/webhook-metrics';
import type { SubscriptionRegistry } from '../registry/subscription-registry';
import type { LeaseTable } from '../store/lease-table';
import type { Subscription } from '../store/subscription-store';
import { SubscriptionWorker, type WorkerDeps } from './subscription-worker';

export interface DispatcherDeps extends Omit<WorkerDeps, 'onError' | 'holds' | 'onExit'> {
  registry: SubscriptionRegistry;
  leases: LeaseTable;
  logError?(message: string, error: unknown): void;
}

export function leaseOwnerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * Runs a SubscriptionWorker for every enabled subscription whose lease it holds. Several
 * dispatchers (the api in embedded mode, any number of ledger workers) share the work
 * through the lease table; each renews its leases every third of their lifetime and
 * picks up subscriptions nobody holds. It follows the log twice: webhook changes, to keep
 * the registry and its workers current, and every append, to wake at once the workers
 * whose filters it matches.
 */
export class WebhookDispatcher {
  private readonly workers = new Map<string, SubscriptionWorker>();
  /** Workers told to stop whose last attempt has not returned yet. */
  private readonly stopping = new Set<string>();
  private readonly retiring = new Set<Promise<unknown>>();
  /** Until when each lease is surely ours (by our clock): a worker whose lease may have lapsed pauses. */
  private readonly leaseUntil = new Map<string, number>();
  private follower: RxSubscription | null = null;
  private wakeUps: RxSubscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reconciling: Promise<void> | null = null;
  private again = false;
  private running = false;
  lastError: string | null = null;

  constructor(private readonly deps: DispatcherDeps) {}

  private get settings(): WebhookSettings {
    return this.deps.settings;
  }

  private get clock(): Clock {
    return this.deps.clock;
  }

  private get store(): EventStore {
    return this.deps.store;
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.follower = this.deps.registry.follow(
      (id) => this.changed(id),
      (error) => this.fail('following webhook changes failed', error),
    );
    const head = await this.store.headPosition();
    // Stopped while asking for the head: stop() found nothing to unsubscribe, so a
    // subscription made now would be nobody's, and once the store closed its retry would
    // run every second for ever (a live timer in the process).
    if (!this.running) return;
    this.wakeUps = this.store
      .subscribe(head)
      .pipe(
        retry({
          delay: (error) => {
            this.fail('following the log failed; retrying', error);
            return timer(1000);
          },
        }),
      )
      .subscribe((event) => this.wakeFor(event));
    await this.reconcile();
    if (!this.running) return;
    this.timer = setInterval(() => void this.reconcile(), Math.max(50, Math.floor(this.settings.leaseTtlMs / 3)));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.follower?.unsubscribe();
    this.wakeUps?.unsubscribe();
    await this.reconciling?.catch(() => undefined);
    const ids = [...this.workers.keys()];
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    await Promise.all([...this.retiring]);
    webhookMetrics.running.dec(this.workers.size);
    this.workers.clear();
    await this.deps.leases.release(ids).catch(() => undefined);
  }

  /** A subscription changed (in this process or, via the log, in another). */
  changed(id: string): void {
    void this.deps.subscriptions.get(id).then(
      async (row) => {
        const worker = this.workers.get(id);
        if (worker && row?.enabled) worker.reload(row);
        else if (worker) await this.retire(id);
        else if (row?.enabled && this.running) await this.adopt(row);
      },
      (error) => this.fail('reloading a subscription failed', error),
    );
  }

  /** Wake one subscription's worker (a replay queued messages). */
  wake(id: string): void {
    this.workers.get(id)?.wake();
  }

  health() {
    return {
      ready: this.running,
      owner: this.deps.leases.owner,
      subscriptions: this.workers.size,
      lastError: this.lastError,
      failing: [...this.workers.values()].filter((w) => w.lastError).map((w) => ({ id: w.id, error: w.lastError })),
    };
  }

  /** Wakes the workers an appended event concerns; the others catch up on their next pass. */
  private wakeFor(event: EventEnvelope): void {
    for (const worker of this.workers.values()) if (worker.wants(event)) worker.wake();
  }

  /** Renew what is held, drop what is lost or switched off, take what is free. One at a time. */
  private reconcile(): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (this.reconciling) {
      this.again = true;
      return this.reconciling;
    }
    this.reconciling = (async () => {
      do {
        this.again = false;
        try {
          await this.reconcileOnce();
        } catch (error) {
          this.fail('reconciling subscriptions failed', error);
        }
      } while (this.again && this.running);
    })().finally(() => {
      this.reconciling = null;
    });
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    const { leases, subscriptions } = this.deps;
    const now = this.clock.now().getTime();
    const held = await leases.renew([...this.workers.keys()], now, this.settings.leaseTtlMs);
    for (const id of held) this.leaseUntil.set(id, now + this.settings.leaseTtlMs);
    const active = new Map((await subscriptions.active()).map((s) => [s.id, s]));
    for (const id of [...this.workers.keys()]) {
      if (!held.has(id) || !active.has(id)) await this.retire(id, held.has(id));
    }
    for (const row of active.values()) {
      if (!this.running) return;
      await this.adopt(row, now);
    }
  }

  /** Starts a worker for the subscription if nobody else holds it. */
  private async adopt(row: Subscription, now = this.clock.now().getTime()): Promise<void> {
    const id = row.id;
    if (this.workers.has(id) || this.stopping.has(id)) return;
    if (!(await this.deps.leases.acquire(id, now, this.settings.leaseTtlMs))) return;
    if (this.workers.has(id) || !this.running) return;
    this.leaseUntil.set(id, now + this.settings.leaseTtlMs);
    const worker: SubscriptionWorker = new SubscriptionWorker(row, {
      ...this.deps,
      holds: (sid) => (this.leaseUntil.get(sid) ?? 0) > this.clock.now().getTime(),
      onError: (sid, error) => this.fail(`delivering for ${sid} failed`, error),
      // Switched off from inside (410, failing too long): let go; the next reconcile
      // adopts it again if switching off did not stick.
      onExit: (sid) => {
        if (this.workers.get(sid) === worker) void this.retire(sid);
      },
    });
    this.workers.set(id, worker);
    webhookMetrics.running.inc();
    worker.start();
  }

  /** Stops a worker without waiting for it here: reconciling must not wait on a slow receiver. */
  private async retire(id: string, release = true): Promise<void> {
    const worker = this.workers.get(id);
    if (!worker) return;
    this.workers.delete(id);
    this.leaseUntil.delete(id);
    this.stopping.add(id);
    webhookMetrics.running.dec();
    const done = worker
      .stop()
      .then(() => (release ? this.deps.leases.release([id]) : undefined))
      .catch((error) => this.fail('releasing a lease failed', error))
      .finally(() => {
        this.stopping.delete(id);
        this.retiring.delete(done);
      });
    this.retiring.add(done);
  }

  private fail(message: string, error: unknown): void {
    this.lastError = `${message}: ${(error as Error)?.message ?? String(error)}`;
    this.deps.logError?.(message, error);
  }
}
