import type { EventEnvelope } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import type { Clock } from '@ledger/platform';
import type { WebhookSettings } from '../config/webhook-settings';
import type { HttpSender } from '../delivery/http-sender';
import { webhookBody } from '../delivery/payload';
import { judgeAttempt } from '../delivery/retry-policy';
import { compileFilter, type CompiledFilter } from '../delivery/subscription-filter';
import { webhookMetrics } from '../delivery/webhook-metrics';
import type { SecretStore } from '../secrets/secret-store';
import { signMessage } from '../signing/signature';
import type { DeliveryLog } from '../store/delivery-log';
import type { Outbox, OutboxMessage } from '../store/outbox';
import type { Subscription, SubscriptionStore } from '../store/subscription-store';

export interface WorkerDeps {
  store: EventStore;
  outbox: Outbox;
  log: DeliveryLog;
  secrets: SecretStore;
  subscriptions: SubscriptionStore;
  sender: HttpSender;
  clock: Clock;
  settings: WebhookSettings;
  /** Switches the endpoint off (records WebhookUpdated{enabled:false}). */
  disable(subscriptionId: string, reason: string): Promise<void>;
  onError(subscriptionId: string, error: unknown): void;
  /** Whether this dispatcher surely still holds the subscription's lease. */
  holds(subscriptionId: string): boolean;
  /** The worker's loop ended on its own (the endpoint was switched off). */
  onExit(subscriptionId: string): void;
}

const READ_PAGE = 500;
const DUE_BATCH = 50;
const CACHE_LIMIT = 5000;
const SECRET_TTL_MS = 1000;
/** A checkpoint move with nothing to queue is written at most this often (re-reading a little after a crash is harmless). */
const QUIET_CHECKPOINT_MS = 1000;
/**
 * Results of successful deliveries are written in runs of up to this many (one
 * transaction): a crash loses at most that many "delivered" marks, and those messages are
 * simply sent again (at least once). Failures are written at once.
 */
const WRITE_RUN = 20;

type Written = Parameters<DeliveryLog['recordMany']>[0][number];

/**
 * Delivers for one subscription, one message at a time, so that first attempts reach the
 * receiver in position order. The loop turns new events of the log into outbox messages
 * (moving the checkpoint in the same transaction), sends what is due, and sleeps until
 * the next retry is due, the log grows, or the poll interval passes. A hung receiver
 * holds up only its own subscription, for one timeout per attempt.
 */
export class SubscriptionWorker {
  private stopped = false;
  private woken = false;
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private filter: CompiledFilter;
  /** Envelopes read while enqueueing, so that first attempts need no second read. */
  private readonly envelopes = new Map<string, EventEnvelope>();
  private secretCache: { at: number; secrets: string[] } | null = null;
  /** The checkpoint as stored; `subscription.checkpoint` may be ahead of it by events that matched nothing. */
  private persisted: number;
  private persistedAt = 0;
  /** Results not yet written, and the failingSince last written. */
  private unwritten: Written[] = [];
  private writtenFailingSince: number | null;
  private readonly cancel = new AbortController();
  lastError: string | null = null;

  constructor(
    private subscription: Subscription,
    private readonly deps: WorkerDeps,
  ) {
    this.filter = compileFilter(subscription);
    this.persisted = subscription.checkpoint;
    this.writtenFailingSince = subscription.failingSince;
  }

  get id(): string {
    return this.subscription.id;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** Whether a new event concerns this subscription (others need not wake it). */
  wants(event: Pick<EventEnvelope, 'type' | 'streamId' | 'data'>): boolean {
    return this.filter.matches(event);
  }

  /** Something may have changed (new events, a replay): look again now. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** The row changed (filters, url, enabled). */
  reload(subscription: Subscription): void {
    this.persisted = subscription.checkpoint;
    this.subscription = { ...subscription, checkpoint: Math.max(subscription.checkpoint, this.subscription.checkpoint) };
    this.filter = compileFilter(subscription);
    this.secretCache = null;
    this.wake();
  }

  /** Stops at once: an attempt in flight is abandoned unrecorded, so its message stays owed. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancel.abort();
    this.wake();
    await this.loop;
  }

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  private async run(): Promise<void> {
    while (!this.stopped && this.subscription.enabled) {
      try {
        this.woken = false;
        const more = await this.enqueueNew();
        const due = await this.deps.outbox.due(this.id, this.now(), DUE_BATCH);
        for (const message of due) {
          // A lease that may have lapsed (renewal late) could be someone else's now: pause.
          if (this.stopped || !this.subscription.enabled || !this.deps.holds(this.id)) break;
          await this.deliver(message);
        }
        await this.write();
        if (!this.deps.holds(this.id)) {
          await this.sleep(Math.ceil(this.deps.settings.leaseTtlMs / 3)); // until the next renewal
          continue;
        }
        if (more || due.length > 0) continue;
        await this.sleep();
      } catch (error) {
        this.lastError = (error as Error).message;
        this.deps.onError(this.id, error);
        await this.sleep(this.deps.settings.pollIntervalMs);
      }
    }
    await this.write().catch((error) => this.deps.onError(this.id, error));
    if (!this.stopped) this.deps.onExit(this.id);
  }

  /** Writes the results gathered so far (attempts, message states, failingSince). */
  private async write(): Promise<void> {
    const run = this.unwritten;
    this.unwritten = [];
    if (run.length) await this.deps.log.recordMany(run, this.now());
    const failingSince = this.subscription.failingSince;
    if (failingSince !== this.writtenFailingSince) {
      await this.deps.subscriptions.setFailingSince(this.id, failingSince);
      this.writtenFailingSince = failingSince;
    }
  }

  /** Turns one page of new matching events into messages; true when there may be more. */
  private async enqueueNew(): Promise<boolean> {
    const { store, outbox, settings } = this.deps;
    const from = this.subscription.checkpoint;
    const head = await store.headPosition();
    if (head <= from) return false;
    if ((await outbox.pendingCount(this.id)) >= settings.pendingWindow) return false; // the rest waits in the log
    const page = await store.readAll({ ...this.filter.store, after: from, limit: READ_PAGE });
    const full = page.length === READ_PAGE;
    // A short page read after `head` was taken has seen every matching event up to head.
    const to = full ? page[page.length - 1].position : Math.max(head, page.length ? page[page.length - 1].position : from);
    const matching = page.filter((e) => this.filter.matches(e));
    const now = this.now();
    if (matching.length === 0 && now - this.persistedAt < QUIET_CHECKPOINT_MS) {
      this.subscription = { ...this.subscription, checkpoint: to };
      return full;
    }
    if (!(await outbox.enqueue(this.id, this.persisted, to, matching, now))) {
      // Another dispatcher moved the checkpoint (a lease changed hands): start from its view.
      const fresh = await this.deps.subscriptions.get(this.id);
      if (!fresh || !fresh.enabled) {
        this.subscription = { ...this.subscription, enabled: false }; // deleted or switched off: stop
        return false;
      }
      this.persisted = fresh.checkpoint;
      this.subscription = { ...this.subscription, checkpoint: fresh.checkpoint };
      return true;
    }
    this.persisted = to;
    this.persistedAt = now;
    this.subscription = { ...this.subscription, checkpoint: to };
    for (const e of matching) if (this.envelopes.size < CACHE_LIMIT) this.envelopes.set(e.eventId, e);
    return full;
  }

  private async deliver(message: OutboxMessage): Promise<void> {
    const { store, sender, settings } = this.deps;
    const event = this.envelopes.get(message.eventId) ?? (await store.getEvent(message.eventId));
    const startedAt = this.now();
    const secrets = await this.signingSecrets(startedAt);
    const body = event ? webhookBody(event) : '';
    const result =
      !event ? { statusCode: null, latencyMs: 0, error: 'the event is not in the log', response: null, retryAfterMs: null }
      : secrets.length === 0 ? { statusCode: null, latencyMs: 0, error: 'no signing secret: rotate the secret', response: null, retryAfterMs: null }
      : await sender.send({ url: this.subscription.url, headers: { ...signMessage(message.msgId, Math.floor(startedAt / 1000), body, secrets) }, body }, this.cancel.signal);
    if (this.stopped) return;
    const now = this.now();
    const attempt = message.attempts + 1;
    const verdict = judgeAttempt(result, attempt, { now, failingSince: this.subscription.failingSince }, settings);
    this.unwritten.push({
      attempt: {
        subscriptionId: this.id,
        msgId: message.msgId,
        eventId: message.eventId,
        eventType: message.eventType,
        position: message.position,
        attempt,
        at: new Date(startedAt).toISOString(),
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        outcome: verdict.outcome,
        error: result.error,
        response: result.response === null ? null : result.response.slice(0, settings.responseCapBytes),
      },
      message: { status: verdict.status, attempts: attempt, nextAttemptAt: verdict.nextAttemptAt, round: message.round },
    });
    webhookMetrics.attempts.inc({ outcome: verdict.outcome });
    webhookMetrics.latency.observe(result.latencyMs / 1000);
    if (verdict.status !== 'pending') this.envelopes.delete(message.eventId);
    const failingSince = verdict.outcome === 'delivered' ? null : (this.subscription.failingSince ?? now);
    if (failingSince !== this.subscription.failingSince) this.subscription = { ...this.subscription, failingSince };
    if (verdict.outcome !== 'delivered' || this.unwritten.length >= WRITE_RUN) await this.write();
    if (verdict.disable) {
      this.subscription = { ...this.subscription, enabled: false };
      await this.deps.disable(this.id, verdict.disable);
    }
  }

  private async signingSecrets(now: number): Promise<string[]> {
    if (!this.secretCache || now - this.secretCache.at > SECRET_TTL_MS) {
      this.secretCache = { at: now, secrets: await this.deps.secrets.active(this.id, now) };
    }
    return this.secretCache.secrets;
  }

  /** Until woken, the next retry is due, or the poll interval passes. */
  private async sleep(atMost?: number): Promise<void> {
    if (this.stopped || this.woken) return;
    let ms = atMost ?? this.deps.settings.pollIntervalMs;
    if (atMost === undefined) {
      const next = await this.deps.outbox.nextDueAt(this.id);
      if (next !== null) ms = Math.max(0, Math.min(ms, next - this.now()));
    }
    if (this.stopped || this.woken) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
    this.wakeUp = null;
  }
}
