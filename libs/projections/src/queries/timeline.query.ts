import { occurredAtMillis, periodEndMillis } from '@ledger/domain';
import type { ReadModelDb } from '@ledger/platform';
import type { SelectQueryBuilder } from 'kysely';
import { physicalName } from '../core/table-spec';
import { num } from '../store/sql';

const TIMELINE = physicalName('timeline');
const REFS = physicalName('timeline_refs');

export interface TimelineQuery {
  /** Events concerning `jurisdiction:<id>` (its own stream, or naming it). */
  jurisdiction?: string;
  /** Events concerning an actor or meeting reference (`official:jeff-sessions`, `meeting:…`) or `event:<uuid>` (its fixes). */
  actor?: string;
  types?: readonly string[];
  /** Valid-time range, inclusive (a date covers its whole day). */
  occurredFrom?: string;
  occurredTo?: string;
  /** Record-time range, inclusive. */
  recordedFrom?: string;
  recordedTo?: string;
  /** Exclusive position cursor. */
  after?: number;
  limit: number;
}

export interface TimelineEntry {
  position: number;
  eventId: string;
  type: string;
  streamId: string;
  occurredAt: string;
  recordedAt: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Q = SelectQueryBuilder<any, any, any>;

const start = (t: string) => occurredAtMillis(t);
const end = (t: string) => (t.includes('T') ? occurredAtMillis(t) : periodEndMillis(t) - 1);

/**
 * The timeline index, in position order: the positions and ids of the matching events (read
 * the envelopes through the EventStore port). `nextAfter` is the cursor for the next page,
 * null at the end. A reference filter reads the refs index first, so it stays fast however
 * long the log is.
 */
export async function queryTimeline(readModel: ReadModelDb, query: TimelineQuery): Promise<{ items: TimelineEntry[]; nextAfter: number | null }> {
  const refs = [query.jurisdiction ? `jurisdiction:${query.jurisdiction}` : undefined, query.actor].filter((r): r is string => !!r);
  const db = readModel.reads;
  let q: Q;
  if (refs.length > 0) {
    q = db
      .selectFrom(`${REFS} as r`)
      .innerJoin(`${TIMELINE} as t`, 't.position', 'r.position')
      .where('r.ref', '=', refs[0])
      .where('r.position', '>', query.after ?? -1)
      .orderBy('r.position');
    for (const ref of refs.slice(1)) {
      q = q.where((eb) => eb.exists(eb.selectFrom(`${REFS} as r2`).select('r2.position').whereRef('r2.position', '=', 't.position').where('r2.ref', '=', ref)));
    }
  } else {
    q = db.selectFrom(`${TIMELINE} as t`).where('t.position', '>', query.after ?? -1).orderBy('t.position');
  }
  if (query.types?.length) q = q.where('t.type', 'in', [...query.types]);
  if (query.occurredFrom) q = q.where('t.occurred_sort', '>=', start(query.occurredFrom));
  if (query.occurredTo) q = q.where('t.occurred_sort', '<=', end(query.occurredTo));
  if (query.recordedFrom) q = q.where('t.recorded_sort', '>=', start(query.recordedFrom));
  if (query.recordedTo) q = q.where('t.recorded_sort', '<=', end(query.recordedTo));
  const rows = await q
    .select(['t.position as position', 't.event_id as event_id', 't.type as type', 't.stream_id as stream_id', 't.occurred_at as occurred_at', 't.recorded_at as recorded_at'])
    .limit(query.limit + 1)
    .execute();
  const items = rows.slice(0, query.limit).map((r) => ({
    position: num(r.position),
    eventId: String(r.event_id),
    type: String(r.type),
    streamId: String(r.stream_id),
    occurredAt: String(r.occurred_at),
    recordedAt: String(r.recorded_at),
  }));
  return { items, nextAfter: rows.length > query.limit && items.length ? items[items.length - 1].position : null };
}
