import { LedgerError, streamIdFor, SYSTEM_ACTOR, ValidationFailed, type EventEnvelope, type FieldError } from '@ledger/domain';
import { BEFORE_FIRST, type EventStore } from '@ledger/event-store';
import type { Clock } from '@ledger/platform';
import type { Recorder } from '@ledger/recorder';
import { randomUUID } from 'node:crypto';
import type { WebhookSettings } from '../config/webhook-settings';
import { compileFilter, filterErrors, type SubscriptionFilter } from '../delivery/subscription-filter';
import type { UrlGuard } from '../guard/url-guard';
import type { SubscriptionRegistry } from '../registry/subscription-registry';
import type { SecretStore } from '../secrets/secret-store';
import { generateSecret } from '../signing/webhook-secret';
import { OUTCOMES, type Attempt, type DeliveryLog, type Outcome } from '../store/delivery-log';
import type { Outbox } from '../store/outbox';
import type { Subscription } from '../store/subscription-store';
import { toView, type WebhookView } from './webhook-view';

export const MAX_DESCRIPTION = 1000;
export const REPLAY_LIMIT = 10_000;
export const MAX_OVERLAP_SECONDS = 30 * 24 * 3600;

export interface CreateWebhookInput extends Partial<SubscriptionFilter> {
  url: string;
  description?: string;
}

export interface UpdateWebhookInput extends Partial<SubscriptionFilter> {
  url?: string;
  description?: string;
  enabled?: boolean;
}

export interface ReplayInput {
  /** Inclusive. */
  fromPosition?: number;
  /** Record time, inclusive (ISO 8601). */
  from?: string;
  /** Record time, inclusive. */
  to?: string;
  /** Inclusive. */
  toPosition?: number;
}

export interface Caller {
  name: string;
  correlationId?: string;
}

export interface WebhookAdminDeps {
  store: EventStore;
  recorder: Recorder;
  registry: SubscriptionRegistry;
  secrets: SecretStore;
  outbox: Outbox;
  log: DeliveryLog;
  guard: UrlGuard;
  clock: Clock;
  settings: WebhookSettings;
  /** Tells an in-process dispatcher that a subscription changed. */
  notify?(id: string): void;
}

/**
 * Subscriptions as the admin sees them. Every change is recorded in the subscription's
 * webhook-<id> stream first (who, what, when — never the secret), then applied to the
 * registry. Secrets go to the secret store before the event that needs them.
 */
export class WebhookAdmin {
  constructor(private readonly deps: WebhookAdminDeps) {}

  private now(): number {
    return this.deps.clock.now().getTime();
  }

  async create(input: CreateWebhookInput, caller: Caller): Promise<WebhookView & { secret: string; position: number }> {
    const filter = { eventTypes: input.eventTypes ?? [], jurisdictions: input.jurisdictions ?? [], actors: input.actors ?? [] };
    this.checkFields({ ...filter, description: input.description });
    const target = await this.deps.guard.check(input.url);
    const id = randomUUID();
    const secret = generateSecret();
    await this.deps.secrets.add(id, secret, this.now());
    let position: number;
    try {
      const data = { url: target.url.href, ...filter, ...(input.description !== undefined ? { description: input.description } : {}) };
      position = (await this.record('WebhookSubscribed', id, data, caller)).position;
    } catch (error) {
      await this.deps.secrets.remove(id);
      throw error;
    }
    const row = await this.apply(id);
    return { ...toView(row), secret, position };
  }

  async list(options: { cursor?: string; limit?: number }): Promise<{ items: WebhookView[]; nextCursor: string | null }> {
    const limit = options.limit ?? 50;
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const rows = await this.deps.registry.subscriptions.list({ after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return { items: page.map((r) => toView(r)), nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].startPosition) : null };
  }

  async get(id: string): Promise<WebhookView> {
    const row = await this.existing(id);
    return toView(row, await this.deps.outbox.countByStatus(id));
  }

  async update(id: string, input: UpdateWebhookInput, caller: Caller): Promise<WebhookView> {
    await this.existing(id);
    this.checkFields(input);
    const data: Record<string, unknown> = {};
    if (input.url !== undefined) data.url = (await this.deps.guard.check(input.url)).url.href;
    for (const key of ['eventTypes', 'jurisdictions', 'actors', 'description', 'enabled'] as const) {
      if (input[key] !== undefined) data[key] = input[key];
    }
    if (Object.keys(data).length === 0) {
      throw new ValidationFailed([{ field: '(body)', reasons: ['name at least one of url, eventTypes, jurisdictions, actors, description, enabled'] }]);
    }
    await this.record('WebhookUpdated', id, data, caller);
    return toView(await this.apply(id));
  }

  async remove(id: string, caller: Caller): Promise<void> {
    await this.existing(id);
    await this.record('WebhookDeleted', id, {}, caller);
    await this.apply(id);
  }

  /** A new secret, shown once; the old ones keep signing for `overlapSeconds`. */
  async rotateSecret(id: string, caller: Caller, overlapSeconds?: number): Promise<{ id: string; secret: string; previousSecretsExpireAt: string }> {
    await this.existing(id);
    const overlap = overlapSeconds ?? Math.round(this.deps.settings.secretOverlapMs / 1000);
    if (!Number.isInteger(overlap) || overlap < 0 || overlap > MAX_OVERLAP_SECONDS) {
      throw new ValidationFailed([{ field: 'overlapSeconds', reasons: [`overlapSeconds must be an integer from 0 to ${MAX_OVERLAP_SECONDS}`] }]);
    }
    const now = this.now();
    const secret = generateSecret();
    await this.deps.secrets.add(id, secret, now, now + overlap * 1000);
    await this.record('WebhookSecretRotated', id, { overlapSeconds: overlap }, caller);
    await this.apply(id);
    return { id, secret, previousSecretsExpireAt: new Date(now + overlap * 1000).toISOString() };
  }

  /** Switches an endpoint off on the ledger's own account (410 Gone, failing too long). */
  async disable(id: string, reason: string): Promise<void> {
    const row = await this.deps.registry.subscriptions.get(id);
    if (!row || !row.enabled) return;
    await this.record('WebhookUpdated', id, { enabled: false, reason }, { name: SYSTEM_ACTOR });
    await this.apply(id);
  }

  async deliveries(id: string, options: { status?: string; cursor?: string; limit?: number }): Promise<{ items: Attempt[]; nextCursor: string | null }> {
    await this.existing(id);
    const limit = options.limit ?? 50;
    const outcomes = options.status ? (options.status.split(',') as Outcome[]) : undefined;
    const bad = outcomes?.filter((o) => !OUTCOMES.includes(o));
    if (bad?.length) throw new ValidationFailed([{ field: 'status', reasons: [`status must be one or more of ${OUTCOMES.join(', ')}`] }]);
    const before = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const rows = await this.deps.log.list(id, { outcomes, before, limit: limit + 1 });
    const page = rows.slice(0, limit);
    return { items: page, nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1].id) : null };
  }

  /**
   * Sends matching events again, oldest first, from `fromPosition` (or record time `from`)
   * up to `to`/`toPosition` and never beyond what the subscription has queued already
   * (later events are on their way anyway). Events before the subscription began may be
   * replayed too: that is how a new receiver backfills. At most REPLAY_LIMIT per call.
   */
  async replay(id: string, input: ReplayInput): Promise<{ queued: number; fromPosition: number | null; toPosition: number | null; nextFromPosition: number | null }> {
    const row = await this.existing(id);
    const errors = replayErrors(input);
    if (errors.length) throw new ValidationFailed(errors);
    const upper = Math.min(input.toPosition ?? Number.POSITIVE_INFINITY, row.checkpoint);
    const fromMs = input.from ? Date.parse(input.from) : Number.NEGATIVE_INFINITY;
    // A bare day as the upper bound means the whole of that day (UTC).
    const toMs = !input.to ? Number.POSITIVE_INFINITY : input.to.includes('T') ? Date.parse(input.to) : Date.parse(`${input.to}T00:00:00Z`) + 86_399_999;
    const filter = compileFilter(row);
    // Positions are integers, so fromPosition - 1 is an exclusive bound that keeps fromPosition.
    let after = input.fromPosition !== undefined ? input.fromPosition - 1 : BEFORE_FIRST;
    const chosen: EventEnvelope[] = [];
    let nextFromPosition: number | null = null;
    scan: for (;;) {
      const page = await this.deps.store.readAll({ ...filter.store, after, limit: 1000 });
      for (const event of page) {
        if (event.position > upper) break scan;
        const at = Date.parse(event.recordedAt);
        if (at < fromMs || at > toMs || !filter.matches(event)) continue;
        if (chosen.length === REPLAY_LIMIT) {
          nextFromPosition = event.position;
          break scan;
        }
        chosen.push(event);
      }
      if (page.length < 1000) break;
      after = page[page.length - 1].position;
    }
    await this.deps.outbox.rearmFor(id, chosen, this.now());
    this.deps.notify?.(id);
    return {
      queued: chosen.length,
      fromPosition: chosen[0]?.position ?? null,
      toPosition: chosen[chosen.length - 1]?.position ?? null,
      nextFromPosition,
    };
  }

  private async existing(id: string): Promise<Subscription> {
    const row = (await this.deps.registry.subscriptions.get(id)) ?? (await this.deps.registry.sync(id));
    if (!row || row.deleted) throw new LedgerError('WEBHOOK.NOT_FOUND', `No webhook subscription has id ${id}.`, { id });
    return row;
  }

  private checkFields(input: Partial<SubscriptionFilter> & { description?: unknown }): void {
    const errors: FieldError[] = filterErrors(input);
    if (input.description !== undefined && (typeof input.description !== 'string' || input.description.length === 0 || input.description.length > MAX_DESCRIPTION)) {
      errors.push({ field: 'description', reasons: [`description must be a non-empty string of at most ${MAX_DESCRIPTION} characters`] });
    }
    if (errors.length) throw new ValidationFailed(errors);
  }

  private record(type: string, id: string, data: Record<string, unknown>, caller: Caller) {
    return this.deps.recorder.record(
      { type, streamId: streamIdFor('webhook', id), data },
      { recordedBy: caller.name, ...(caller.correlationId ? { correlationId: caller.correlationId } : {}) },
    );
  }

  private async apply(id: string): Promise<Subscription> {
    const row = await this.deps.registry.sync(id);
    this.deps.notify?.(id);
    if (!row) throw new LedgerError('WEBHOOK.NOT_FOUND', `No webhook subscription has id ${id}.`, { id });
    return row;
  }
}

export function replayErrors(input: ReplayInput): FieldError[] {
  const errors: FieldError[] = [];
  if ((input.fromPosition === undefined) === (input.from === undefined)) {
    errors.push({ field: 'fromPosition', reasons: ['give exactly one of fromPosition and from'] });
  }
  for (const key of ['fromPosition', 'toPosition'] as const) {
    const v = input[key];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) errors.push({ field: key, reasons: [`${key} must be a non-negative integer`] });
  }
  for (const key of ['from', 'to'] as const) {
    const v = input[key];
    if (v !== undefined && (typeof v !== 'string' || Number.isNaN(Date.parse(v)))) errors.push({ field: key, reasons: [`${key} must be an ISO 8601 timestamp`] });
  }
  return errors;
}

function encodeCursor(n: number): string {
  return Buffer.from(String(n)).toString('base64url');
}

function decodeCursor(cursor: string): number {
  const n = Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || !Number.isSafeInteger(n)) throw new ValidationFailed([{ field: 'cursor', reasons: ['cursor is not one this API gave out'] }]);
  return n;
}
