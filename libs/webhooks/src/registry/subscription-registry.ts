import { parseStreamId, streamIdFor, type EventEnvelope } from '@ledger/domain';
import { BEFORE_FIRST, type EventStore } from '@ledger/event-store';
import type { Clock, ReadModelDb } from '@ledger/platform';
import { concatMap, defer, from, retry, timer, type Subscription as RxSubscription } from 'rxjs';
import { BOOKKEEPING_TYPES } from '../delivery/subscription-filter';
import type { SecretStore } from '../secrets/secret-store';
import type { Outbox } from '../store/outbox';
import { SubscriptionStore, type Subscription } from '../store/subscription-store';

const REGISTRY_CHECKPOINT = 'registry';

/**
 * The subscription table is a projection of the webhook-<id> streams: the log says who
 * subscribed to what and when, and this table follows it. The api applies a change right
 * after recording it (so a GET sees it at once); the dispatcher follows the log too, which
 * repairs a process that died between the two and tells other processes of changes.
 * Applying is idempotent: event r is applied only onto revision r-1.
 */
export class SubscriptionRegistry {
  readonly subscriptions: SubscriptionStore;

  constructor(
    private readonly rm: ReadModelDb,
    private readonly store: EventStore,
    private readonly outbox: Outbox,
    private readonly secrets: SecretStore,
    private readonly clock: Clock,
  ) {
    this.subscriptions = new SubscriptionStore(rm);
  }

  private get db() {
    return this.rm.db;
  }

  /** Brings one subscription's row up to date with its stream; returns it (null if never subscribed). */
  async sync(id: string): Promise<Subscription | null> {
    const current = await this.subscriptions.get(id, { includeDeleted: true });
    const events = await this.store.readStream(streamIdFor('webhook', id), { fromRevision: current ? current.revision + 1 : 0 });
    for (const event of events) await this.apply(id, event);
    return events.length ? this.subscriptions.get(id, { includeDeleted: true }) : current;
  }

  /**
   * Follows webhook changes in the log from the registry's checkpoint, calling onChange per
   * subscription. A failure is reported and the following starts again from the checkpoint.
   */
  follow(onChange: (id: string) => void, onError: (error: unknown) => void): RxSubscription {
    return defer(() => from(this.checkpoint()))
      .pipe(
        concatMap((after) => this.store.subscribe(after, { types: BOOKKEEPING_TYPES, streamPrefixes: ['webhook-'] })),
        concatMap(async (event) => {
          const parsed = parseStreamId(event.streamId);
          if (parsed?.kind === 'webhook') {
            await this.sync(parsed.id);
            onChange(parsed.id);
          }
          await this.saveCheckpoint(event.position);
        }),
        retry({
          delay: (error) => {
            onError(error);
            return timer(1000);
          },
        }),
      )
      .subscribe();
  }

  private async apply(id: string, event: EventEnvelope): Promise<void> {
    const data = event.data as Record<string, unknown>;
    const now = this.clock.now().getTime();
    const touched = { revision: event.revision, updated_at: event.recordedAt, updated_by: event.metadata.recordedBy };
    const guarded = () => this.db.updateTable('webhook_subscriptions').where('id', '=', id).where('revision', '=', event.revision - 1);
    switch (event.type) {
      case 'WebhookSubscribed':
        await this.db
          .insertInto('webhook_subscriptions')
          .values({
            id,
            url: data.url,
            event_types: JSON.stringify(data.eventTypes ?? []),
            jurisdictions: JSON.stringify(data.jurisdictions ?? []),
            actors: JSON.stringify(data.actors ?? []),
            description: data.description ?? null,
            enabled: 1,
            disabled_reason: null,
            deleted: 0,
            start_position: event.position,
            checkpoint: event.position,
            failing_since: null,
            created_at: event.recordedAt,
            created_by: event.metadata.recordedBy,
            ...touched,
          })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        return;
      case 'WebhookUpdated': {
        const set: Record<string, unknown> = { ...touched };
        if (data.url !== undefined) set.url = data.url;
        if (data.eventTypes !== undefined) set.event_types = JSON.stringify(data.eventTypes);
        if (data.jurisdictions !== undefined) set.jurisdictions = JSON.stringify(data.jurisdictions);
        if (data.actors !== undefined) set.actors = JSON.stringify(data.actors);
        if (data.description !== undefined) set.description = data.description;
        if (data.enabled === true) Object.assign(set, { enabled: 1, disabled_reason: null, failing_since: null });
        if (data.enabled === false) {
          Object.assign(set, { enabled: 0, disabled_reason: (data.reason as string | undefined) ?? `disabled by ${event.metadata.recordedBy}` });
        }
        const result = await guarded().set(set).executeTakeFirst();
        // A re-enabled endpoint starts a fresh retry round for what it was still owed.
        if (Number(result.numUpdatedRows) === 1 && data.enabled === true) await this.outbox.restartPending(id, now);
        return;
      }
      case 'WebhookDeleted': {
        await guarded().set({ ...touched, deleted: 1, enabled: 0 }).execute();
        await this.outbox.cancelPending(id, now);
        await this.secrets.remove(id);
        await this.db.deleteFrom('webhook_leases').where('subscription_id', '=', id).execute();
        return;
      }
      default:
        // WebhookSecretRotated (the secret itself lives in the secret store) and types to come.
        await guarded().set(touched).execute();
    }
  }

  private async checkpoint(): Promise<number> {
    const row = await this.db.selectFrom('webhook_registry').select('position').where('name', '=', REGISTRY_CHECKPOINT).executeTakeFirst();
    return row ? Number(row.position) : BEFORE_FIRST;
  }

  private async saveCheckpoint(position: number): Promise<void> {
    await this.db
      .insertInto('webhook_registry')
      .values({ name: REGISTRY_CHECKPOINT, position })
      .onConflict((oc) => oc.column('name').doUpdateSet({ position }).where('webhook_registry.position', '<', position))
      .execute();
  }
}
