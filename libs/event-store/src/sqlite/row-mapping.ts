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
