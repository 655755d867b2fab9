import type { ReadModelDb } from '@ledger/platform';
import type { SubscriptionFilter } from '../delivery/subscription-filter';

/** A subscription as the registry holds it (never with its secret). */
export interface Subscription extends SubscriptionFilter {
  id: string;
  url: string;
  description: string | null;
  enabled: boolean;
  disabledReason: string | null;
  deleted: boolean;
  /** Revision of its webhook-<id> stream applied here. */
  revision: number;
  /** Position of WebhookSubscribed: deliveries start after it. */
  startPosition: number;
  /** Every matching event up to here has a message in the outbox. */
  checkpoint: number;
  /** When the current run of failures began (ms), or null. */
  failingSince: number | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;

export function toSubscription(r: Row): Subscription {
  return {
    id: r.id,
    url: r.url,
    eventTypes: JSON.parse(r.event_types),
    jurisdictions: JSON.parse(r.jurisdictions),
    actors: JSON.parse(r.actors),
    description: r.description ?? null,
    enabled: Number(r.enabled) === 1,
    disabledReason: r.disabled_reason ?? null,
    deleted: Number(r.deleted) === 1,
    revision: Number(r.revision),
    startPosition: Number(r.start_position),
    checkpoint: Number(r.checkpoint),
    failingSince: r.failing_since === null || r.failing_since === undefined ? null : Number(r.failing_since),
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

/** Reads and the dispatcher's own bookkeeping on the registry table. */
export class SubscriptionStore {
  constructor(private readonly rm: ReadModelDb) {}

  private get db() {
    return this.rm.db;
  }

  async get(id: string, options: { includeDeleted?: boolean } = {}): Promise<Subscription | null> {
    let q = this.db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id);
    if (!options.includeDeleted) q = q.where('deleted', '=', 0);
    const row = await q.executeTakeFirst();
    return row ? toSubscription(row) : null;
  }

  /** In creation order; `after` is the startPosition of the last one of the previous page. */
  async list(options: { after?: number; limit: number }): Promise<Subscription[]> {
    let q = this.db.selectFrom('webhook_subscriptions').selectAll().where('deleted', '=', 0).orderBy('start_position').limit(options.limit);
    if (options.after !== undefined) q = q.where('start_position', '>', options.after);
    return (await q.execute()).map(toSubscription);
  }

  /** The ones a dispatcher should be running. */
  async active(): Promise<Subscription[]> {
    const rows = await this.db.selectFrom('webhook_subscriptions').selectAll().where('deleted', '=', 0).where('enabled', '=', 1).execute();
    return rows.map(toSubscription);
  }

  async setFailingSince(id: string, at: number | null): Promise<void> {
    await this.db.updateTable('webhook_subscriptions').set({ failing_since: at }).where('id', '=', id).execute();
  }
}
