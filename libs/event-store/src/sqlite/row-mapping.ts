import type { EventEnvelope, EventMetadata, Precision } from '@ledger/domain';
import type { EventRow } from './sqlite-schema';

export function rowToEnvelope(row: EventRow): EventEnvelope {
  return {
    eventId: row.event_id,
    type: row.type,
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    occurredAt: row.occurred_at,
    occurredAtPrecision: row.occurred_at_precision as Precision,
    recordedAt: row.recorded_at,
    data: JSON.parse(row.data) as Record<string, unknown>,
    metadata: JSON.parse(row.metadata) as EventMetadata,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * The columns an envelope is made of, in the order `valuesToEnvelope` reads them. Readers
 * of many rows select these in better-sqlite3's raw mode (an array per row): no row object
 * is built only to be copied into the envelope, which made readAll about a third faster.
 */
export const ENVELOPE_COLUMNS =
  'position, event_id, stream_id, revision, type, occurred_at, occurred_at_precision, recorded_at, data, metadata, prev_hash, hash';

export type EnvelopeValues = [number, string, string, number, string, string, string, string, string, string, string, string];

export function valuesToEnvelope(v: EnvelopeValues): EventEnvelope {
  return {
    eventId: v[1],
    type: v[4],
    streamId: v[2],
    revision: v[3],
    position: v[0],
    occurredAt: v[5],
    occurredAtPrecision: v[6] as Precision,
    recordedAt: v[7],
    data: JSON.parse(v[8]) as Record<string, unknown>,
    metadata: JSON.parse(v[9]) as EventMetadata,
    prevHash: v[10],
    hash: v[11],
  };
}
