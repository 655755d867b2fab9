import type { ReadModelDb } from '@ledger/platform';
import type { MessageStatus } from './outbox';

/**
 * What became of one attempt: `delivered` (2xx), `failed` (will be retried), `dead` (the
 * last attempt of the schedule failed: dead-lettered), `disabled` (the endpoint was
 * switched off by this attempt: 410 Gone, or failing for too long).
 */
export const OUTCOMES = ['delivered', 'failed', 'dead', 'disabled'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Attempt {
  id: number;
  subscriptionId: string;
  msgId: string;
  eventId: string;
  eventType: string;
  position: number;
  attempt: number;
  at: string;
  statusCode: number | null;
  latencyMs: number;
  outcome: Outcome;
  error: string | null;
  /** The start of the response body, as much as was read. */
  response: string | null;
}

export interface MessageUpdate {
  status: MessageStatus;
  attempts: number;
  nextAttemptAt: number;
  /** The round the attempt belonged to; a newer round (a replay meanwhile) is left alone. */
  round: number;
}

/** The log of every attempt, written with the message's new state in one transaction. */
export class DeliveryLog {
  constructor(private readonly rm: ReadModelDb) {}

  private get db() {
    return this.rm.db;
  }

  async record(attempt: Omit<Attempt, 'id'>, message: MessageUpdate, now: number): Promise<void> {
    await this.recordMany([{ attempt, message }], now);
  }

  /**
   * Several attempts and their messages' new states in one transaction (the dispatcher
   * writes a run of deliveries at once). A message whose round moved on meanwhile (a
   * replay) keeps its new round.
   */
  async recordMany(entries: readonly { attempt: Omit<Attempt, 'id'>; message: MessageUpdate }[], now: number): Promise<void> {
    if (entries.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < entries.length; i += 100) {
        await trx
          .insertInto('webhook_attempts')
          .values(
            entries.slice(i, i + 100).map(({ attempt }) => ({
              subscription_id: attempt.subscriptionId,
              msg_id: attempt.msgId,
              event_id: attempt.eventId,
              event_type: attempt.eventType,
              position: attempt.position,
              attempt: attempt.attempt,
              at: attempt.at,
              status_code: attempt.statusCode,
              latency_ms: attempt.latencyMs,
              outcome: attempt.outcome,
              error: attempt.error,
              response: attempt.response,
            })),
          )
          .execute();
      }
      // Messages that end alike are updated together: usually one statement for the whole run.
      const groups = new Map<string, { subscriptionId: string; message: MessageUpdate; statusCode: number | null; error: string | null; positions: number[] }>();
      for (const { attempt, message } of entries) {
        const key = JSON.stringify([attempt.subscriptionId, message, attempt.statusCode, attempt.error]);
        const group = groups.get(key) ?? { subscriptionId: attempt.subscriptionId, message, statusCode: attempt.statusCode, error: attempt.error, positions: [] };
        group.positions.push(attempt.position);
        groups.set(key, group);
      }
      for (const g of groups.values()) {
        await trx
          .updateTable('webhook_messages')
          .set({
            status: g.message.status,
            attempts: g.message.attempts,
            next_attempt_at: g.message.nextAttemptAt,
            updated_at: now,
            last_status_code: g.statusCode,
            last_error: g.error,
          })
          .where('subscription_id', '=', g.subscriptionId)
          .where('position', 'in', g.positions)
          .where('status', '=', 'pending')
          .where('round', '=', g.message.round)
          .execute();
      }
    });
  }

  /** Newest first; `before` is the id of the last attempt of the previous page. */
  async list(subscriptionId: string, options: { outcomes?: readonly Outcome[]; before?: number; limit: number }): Promise<Attempt[]> {
    let q = this.db.selectFrom('webhook_attempts').selectAll().where('subscription_id', '=', subscriptionId).orderBy('id', 'desc').limit(options.limit);
    if (options.outcomes?.length) q = q.where('outcome', 'in', [...options.outcomes]);
    if (options.before !== undefined) q = q.where('id', '<', options.before);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: Number(r.id),
      subscriptionId: r.subscription_id,
      msgId: r.msg_id,
      eventId: r.event_id,
      eventType: r.event_type,
      position: Number(r.position),
      attempt: Number(r.attempt),
      at: r.at,
      statusCode: r.status_code === null ? null : Number(r.status_code),
      latencyMs: Number(r.latency_ms),
      outcome: r.outcome,
      error: r.error ?? null,
      response: r.response ?? null,
    }));
  }
}
