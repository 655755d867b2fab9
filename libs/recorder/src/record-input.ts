import type { Confidence, EventType, Precision, SourceRef } from '@ledger/domain';
import type { ExpectedRevision } from '@ledger/event-store';

/** What a recorder asks for, from any edge (HTTP route, import line, CLI, watcher). */
export interface RecordInput {
  type: EventType | string;
  streamId: string;
  data: Record<string, unknown>;
  eventId?: string;
  occurredAt?: string;
  occurredAtPrecision?: Precision;
  source?: SourceRef;
  confidence?: Confidence;
}

export interface RecordOptions {
  /** The API key's name, or `system`. Never taken from a request body. */
  recordedBy: string;
  expectedRevision?: ExpectedRevision;
  correlationId?: string;
  causationId?: string;
  /**
   * The edge has already checked `data` against the event's catalogue schema (the HTTP
   * routes' validation pipe uses the same classes), so the recorder does not do it twice.
   */
  dataValidated?: boolean;
}
