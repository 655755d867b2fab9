import type { Confidence } from './events/common.schema';

export const PRECISIONS = ['day', 'minute', 'second'] as const;
export type Precision = (typeof PRECISIONS)[number];

export interface SourceRef {
  publication: string;
  url?: string;
  title?: string;
  publishedAt?: string;
  quote?: string;
}

export interface EventMetadata {
  source?: SourceRef;
  confidence?: Confidence;
  /** The API key's name, or `system` for the ledger's own events. Never taken from a body. */
  recordedBy: string;
  correlationId?: string;
  causationId?: string;
  schemaVersion: number;
}

/** What a writer hands to the store: everything but the fields the store assigns. */
export interface NewEvent<T extends string = string, D = Record<string, unknown>> {
  eventId: string;
  type: T;
  /** Valid time: when it happened in the world. */
  occurredAt: string;
  occurredAtPrecision: Precision;
  data: D;
  metadata: EventMetadata;
}

/** An event as stored: the one envelope every reader sees. */
export interface EventEnvelope<T extends string = string, D = Record<string, unknown>> extends NewEvent<T, D> {
  streamId: string;
  /** 0-based position inside its stream. */
  revision: number;
  /**
   * Global order every reader sees: strictly increasing, comparable, but NOT consecutive
   * (EventStoreDB positions are byte offsets), so never compute `position + 1`.
   */
  position: number;
  /** Record time: when the ledger stored it (server clock). */
  recordedAt: string;
  prevHash: string;
  hash: string;
}

/** The author of events the ledger appends on its own (deadline lapses, webhook bookkeeping). */
export const SYSTEM_ACTOR = 'system';

/** `2018-01-24` is a day; `…T15:00Z` a minute; `…T15:00:30Z` a second. */
export function precisionOf(occurredAt: string): Precision {
  if (!occurredAt.includes('T')) return 'day';
  const time = occurredAt.split('T')[1] ?? '';
  return /^\d{2}:\d{2}:\d{2}/.test(time) ? 'second' : 'minute';
}

/**
 * The instant at which a valid time is fully in the past: a day-precision date counts as
 * happened once the whole day (UTC) has begun — `asOf=2018-01-24` includes that day's events.
 * Returns epoch milliseconds of the *start* of the period it names.
 */
export function occurredAtMillis(occurredAt: string): number {
  return occurredAt.includes('T') ? Date.parse(occurredAt) : Date.parse(`${occurredAt}T00:00:00Z`);
}
