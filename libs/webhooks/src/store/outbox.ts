import type { EventEnvelope } from '@ledger/domain';
import type { ReadModelDb } from '@ledger/platform';
import { createHash } from 'node:crypto';

export type MessageStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';

/** One event owed to one subscription. */
export interface OutboxMessage {
  subscriptionId: string;
  position: number;
  eventId: string;
  eventType: string;
  /** webhook-id: the same on every attempt and replay of this event to this subscription. */
  msgId: string;
  status: MessageStatus;
  /** Attempts in the current round. */
  attempts: number;
  nextAttemptAt: number;
  /** Bumped when a replay or a re-enable starts a new round, so a late result of the old one is dropped. */
  round: number;
}

export function messageId(subscriptionId: string, eventId: string): string {
  return 'msg_' + createHash('sha256').update(`${subscriptionId}:${eventId}`).digest('base64url').slice(0, 27);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const toMessage = (r: Record<string, any>): OutboxMessage => ({
  subscriptionId: r.subscription_id,
  position: Number(r.position),
  eventId: r.event_id,
  eventType: r.event_type,
  msgId: r.msg_id,
  status: r.status,
  attempts: Number(r.attempts),
  nextAttemptAt: Number(r.next_attempt_at),
  round: Number(r.round),
});

const CHUNK = 200;

/**
 * The outbox: what each subscription is owed. A message row is written in the same
 * transaction that moves the subscription's checkpoint past its event, and stays
 * `pending` until a 2xx is recorded, so a process killed at any moment owes exactly
 * what it owed before (an attempt in flight is simply made again: at least once).
 */
export class Outbox {
  constructor(private readonly rm: ReadModelDb) {}

  private get db() {
    return this.rm.db;
  }

  /**
   * Messages for `events`, and the checkpoint moved from `from` to `to`, atomically.
   * False when the checkpoint was not at `from` (another dispatcher moved it) or the
   * subscription is gone: nothing changes.
   */
  async enqueue(subscriptionId: string, from: number, to: number, events: readonly EventEnvelope[], now: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const moved = await trx
        .updateTable('webhook_subscriptions')
        .set({ checkpoint: to })
        .where('id', '=', subscriptionId)
        .where('checkpoint', '=', from)
        .where('deleted', '=', 0)
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1) return false;
      for (let i = 0; i < events.length; i += CHUNK) {
        await trx
          .insertInto('webhook_messages')
          .values(events.slice(i, i + CHUNK).map((e) => newRow(subscriptionId, e, now)))
          .onConflict((oc) => oc.columns(['subscription_id', 'position']).doNothing())
          .execute();
      }
      return true;
    });
  }

  /** Sends events again (a replay): new messages, or old ones re-armed whatever became of them. */
  async rearmFor(subscriptionId: string, events: readonly EventEnvelope[], now: number): Promise<void> {
    for (let i = 0; i < events.length; i += CHUNK) {
      await this.db
        .insertInto('webhook_messages')
        .values(events.slice(i, i + CHUNK).map((e) => newRow(subscriptionId, e, now)))
        .onConflict((oc) =>
          oc.columns(['subscription_id', 'position']).doUpdateSet((eb) => ({
            status: 'pending',
            attempts: 0,
            next_attempt_at: now,
            updated_at: now,
            round: eb('webhook_messages.round', '+', 1),
          })),
        )
        .execute();
    }
  }

  async pendingCount(subscriptionId: string): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_messages')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('subscription_id', '=', subscriptionId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Due messages in position order: first attempts go out in the order of the log. */
  async due(subscriptionId: string, now: number, limit: number): Promise<OutboxMessage[]> {
    const rows = await this.db
      .selectFrom('webhook_messages')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('position')
      .limit(limit)
      .execute();
    return rows.map(toMessage);
  }

  /** When the next pending message comes due, or null when none is pending. */
  async nextDueAt(subscriptionId: string): Promise<number | null> {
    const row = await this.db
      .selectFrom('webhook_messages')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('subscription_id', '=', subscriptionId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return row?.at === null || row?.at === undefined ? null : Number(row.at);
  }

  /** A new round for what is still pending (the endpoint was re-enabled). */
  async restartPending(subscriptionId: string, now: number): Promise<void> {
    await this.db
      .updateTable('webhook_messages')
      .set((eb) => ({ attempts: 0, next_attempt_at: now, updated_at: now, round: eb('round', '+', 1) }))
      .where('subscription_id', '=', subscriptionId)
      .where('status', '=', 'pending')
      .execute();
  }

  async cancelPending(subscriptionId: string, now: number): Promise<void> {
    await this.db
      .updateTable('webhook_messages')
      .set({ status: 'cancelled', updated_at: now })
      .where('subscription_id', '=', subscriptionId)
      .where('status', '=', 'pending')
      .execute();
  }

  async countByStatus(subscriptionId: string): Promise<Record<MessageStatus, number>> {
    const rows = await this.db
      .selectFrom('webhook_messages')
      .select(['status', (eb) => eb.fn.countAll().as('n')])
      .where('subscription_id', '=', subscriptionId)
      .groupBy('status')
      .execute();
    const counts: Record<MessageStatus, number> = { pending: 0, delivered: 0, dead: 0, cancelled: 0 };
    for (const r of rows) counts[r.status as MessageStatus] = Number(r.n);
    return counts;
  }
}

function newRow(subscriptionId: string, e: EventEnvelope, now: number) {
  return {
    subscription_id: subscriptionId,
    position: e.position,
    event_id: e.eventId,
    event_type: e.type,
    msg_id: messageId(subscriptionId, e.eventId),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    enqueued_at: now,
    updated_at: now,
    round: 0,
  };
}
