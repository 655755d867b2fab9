import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EventEnvelope } from './envelope';

/** prevHash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The fields the chain covers. `position` is left out on purpose: EventStoreDB assigns it
 * only after the write, and global order is covered by the audit Merkle tree instead.
 */
export type HashedFields = Omit<EventEnvelope, 'hash' | 'position'>;

/** RFC 8785 canonical JSON: stable key order, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value cannot be canonicalized');
  return text;
}

export function computeEventHash(event: HashedFields): string {
  const covered: HashedFields = {
    eventId: event.eventId,
    type: event.type,
    streamId: event.streamId,
    revision: event.revision,
    occurredAt: event.occurredAt,
    occurredAtPrecision: event.occurredAtPrecision,
    recordedAt: event.recordedAt,
    data: event.data,
    metadata: event.metadata,
    prevHash: event.prevHash,
  };
  return createHash('sha256').update(canonicalJson(covered)).digest('hex');
}

/**
 * What makes two appends "the same event" for idempotency: what the recorder said, not
 * when or by whom the server stored it.
 */
export function contentDigest(streamId: string, event: { type: string; occurredAt: string; occurredAtPrecision: string; data: unknown; metadata: { source?: unknown; confidence?: unknown } }): string {
  return createHash('sha256')
    .update(
      canonicalJson({
        streamId,
        type: event.type,
        occurredAt: event.occurredAt,
        occurredAtPrecision: event.occurredAtPrecision,
        data: event.data,
        source: event.metadata.source ?? null,
        confidence: event.metadata.confidence ?? null,
      }),
    )
    .digest('hex');
}
