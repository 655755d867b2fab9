import type { EventEnvelope, EventMetadata, Precision } from '@ledger/domain';
import type { EventFilter } from '../event-store.port';
import type { EsdbFilter, EsdbPosition, EsdbProposedEvent, EsdbRecord } from './esdb-client';

/**
 * How a ledger envelope is laid out in an EventStoreDB event:
 * - ESDB event id = the ledger's eventId, ESDB type = the ledger type, ESDB data = `data`;
 * - ESDB metadata carries the rest of the envelope (valid time, record time, the hash
 *   chain, the content digest used for idempotency, the ledger's own `metadata`), plus
 *   `$correlationId`/`$causationId` so that EventStoreDB's own tooling can follow them.
 * Stream and revision are the ESDB stream and revision; position is the $all commit position.
 */
export const LEDGER_MARK = 'ledger-envelope-v1';

export interface StoredMetadata {
  $ledger: typeof LEDGER_MARK;
  /** The id exactly as the writer spelled it (EventStoreDB hands UUIDs back in lower case). */
  eventId: string;
  occurredAt: string;
  occurredAtPrecision: Precision;
  recordedAt: string;
  prevHash: string;
  hash: string;
  contentDigest: string;
  /** Which append call wrote it: lets a retry tell its own write from someone else's. */
  appendId: string;
  metadata: EventMetadata;
  $correlationId?: string;
  $causationId?: string;
}

export function toProposedEvent(envelope: Omit<EventEnvelope, 'position'>, contentDigest: string, appendId: string): EsdbProposedEvent {
  const metadata: StoredMetadata = {
    $ledger: LEDGER_MARK,
    eventId: envelope.eventId,
    occurredAt: envelope.occurredAt,
    occurredAtPrecision: envelope.occurredAtPrecision,
    recordedAt: envelope.recordedAt,
    prevHash: envelope.prevHash,
    hash: envelope.hash,
    contentDigest,
    appendId,
    metadata: envelope.metadata,
  };
  if (envelope.metadata.correlationId) metadata.$correlationId = envelope.metadata.correlationId;
  if (envelope.metadata.causationId) metadata.$causationId = envelope.metadata.causationId;
  return { eventId: envelope.eventId, type: envelope.type, data: envelope.data, metadata };
}

export function storedMetadata(record: EsdbRecord): StoredMetadata | null {
  const m = record.metadata as Partial<StoredMetadata> | undefined;
  return m && typeof m === 'object' && m.$ledger === LEDGER_MARK ? (m as StoredMetadata) : null;
}

/** Whether the record is one of the ledger's events (not a system event, not bookkeeping, not a stranger's). */
export function isLedgerRecord(record: EsdbRecord): boolean {
  return !record.streamId.startsWith('$') && storedMetadata(record) !== null && typeof record.data === 'object';
}

/** The envelope of a ledger record; throws for a record the ledger did not write. */
export function toEnvelope(record: EsdbRecord): EventEnvelope {
  const m = storedMetadata(record);
  if (!m) throw new Error(`event ${record.eventId} in ${record.streamId} was not written by the ledger`);
  return {
    eventId: m.eventId,
    type: record.type,
    streamId: record.streamId,
    revision: record.revision,
    position: positionNumber(record),
    occurredAt: m.occurredAt,
    occurredAtPrecision: m.occurredAtPrecision,
    recordedAt: m.recordedAt,
    data: record.data as Record<string, unknown>,
    metadata: m.metadata,
    prevHash: m.prevHash,
    hash: m.hash,
  };
}

/**
 * The port's position is the commit position as a JS number. Events appended over gRPC
 * have commit = prepare, so the number alone names the event exactly (see README).
 */
export function positionNumber(record: EsdbRecord): number {
  if (!record.position) {
    throw new Error(
      `EventStoreDB did not report the $all position of ${record.streamId}@${record.revision}: the ledger needs EventStoreDB 23.10 or newer`,
    );
  }
  return toNumber(record.position.commit);
}

export function toNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`$all position ${value} is beyond what a JS number holds exactly`);
  return Number(value);
}

export function fromNumber(position: number): EsdbPosition {
  const p = BigInt(position);
  return { commit: p, prepare: p };
}

/** Escapes a string for use inside a .NET (and JS) regular expression. */
function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`);
}

/** Non-system streams only: this leaves out EventStoreDB's `$…` streams and the ledger's own `$ledger-…` bookkeeping. */
export const USER_STREAMS_REGEX = '^[^$]';

/**
 * The server-side filter for a port filter. EventStoreDB filters on one thing (stream name
 * or event type); whatever part of the port filter it cannot express is applied again on
 * the client (matchesFilter), which is always safe because the server only narrows.
 */
export function serverFilter(filter: EventFilter = {}): EsdbFilter {
  const prefixes = filter.streamPrefixes ?? [];
  if (prefixes.length && !prefixes.includes('')) {
    const usable = prefixes.filter((p) => !p.startsWith('$'));
    // Only `$…` prefixes: nothing of the ledger can match; keep the server from sending all of $all.
    return usable.length ? { on: 'stream', prefixes: usable } : { on: 'stream', regex: '^(?!)' };
  }
  if (filter.types?.length) return { on: 'type', regex: `^(?:${filter.types.map(escapeRegex).join('|')})$` };
  return { on: 'stream', regex: USER_STREAMS_REGEX };
}
