import * as crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import type { EventEnvelope, NewEvent } from './envelope';

/** prevHash of a stream's first event. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * The fields the chain covers. `position` is left out on purpose: EventStoreDB assigns it
 * only after the write, and global order is covered by the audit Merkle tree instead.
 */
export type HashedFields = Omit<EventEnvelope, 'hash' | 'position'>;

/** What a store is about to write for `event`: the fields its hash covers, chained after `prevHash`. */
export function unsealedEnvelope(event: NewEvent, at: { streamId: string; revision: number; recordedAt: string; prevHash: string }): HashedFields {
  return {
    eventId: event.eventId,
    type: event.type,
    streamId: at.streamId,
    revision: at.revision,
    occurredAt: event.occurredAt,
    occurredAtPrecision: event.occurredAtPrecision,
    recordedAt: at.recordedAt,
    data: event.data,
    metadata: event.metadata,
    prevHash: at.prevHash,
  };
}

/** RFC 8785 canonical JSON: stable key order, so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  const text = canonical(value);
  if (text === undefined) throw new Error('value cannot be canonicalized');
  return text;
}

/**
 * Canonical JSON through the native serializer wherever it can write RFC 8785's form: JSON
 * values whose every object enumerates its keys in ascending UTF-16 order. The store keeps
 * data and metadata as canonical text, so what it reads back parses into such objects and
 * is serialized as it is (verify, re-hashing); a client's object in its own key order is
 * first copied with its keys sorted, which costs less than the library's serializing value
 * by value. Anything else (toJSON, undefined, non-finite numbers, keys an object cannot
 * enumerate in sorted order, such as array-index keys, or `__proto__`) takes the library.
 */
function canonical(value: unknown): string | undefined {
  const sorted = inKeyOrder(value);
  return sorted === NOT_PLAIN ? canonicalize(value) : JSON.stringify(sorted);
}

const NOT_PLAIN = Symbol('not plain JSON');

/** The value itself when its keys are already in order, else a copy whose keys are; NOT_PLAIN when neither can be. */
function inKeyOrder(value: unknown): unknown {
  if (value === null) return value;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : NOT_PLAIN;
    case 'object':
      break;
    default:
      return NOT_PLAIN;
  }
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = inKeyOrder(value[i]);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      if (item !== value[i]) (copy ??= value.slice())[i] = item;
    }
    return copy ?? value;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return NOT_PLAIN;
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  let ordered = true;
  for (let i = 1; i < keys.length; i++) {
    if (!(keys[i - 1] < keys[i])) {
      ordered = false;
      break;
    }
  }
  const items = new Array<unknown>(keys.length);
  let changed = !ordered;
  for (let i = 0; i < keys.length; i++) {
    const item = inKeyOrder(record[keys[i]]);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    items[i] = item;
    if (item !== record[keys[i]]) changed = true;
  }
  if (!changed) return value;
  const order = keys.map((_, i) => i);
  if (!ordered) order.sort((a, b) => (keys[a] < keys[b] ? -1 : 1));
  const copy: Record<string, unknown> = {};
  for (const i of order) {
    if (keys[i] === '__proto__') return NOT_PLAIN; // assigning it would set the copy's prototype
    copy[keys[i]] = items[i];
  }
  // Array-index keys ("1", "10") enumerate in numeric order whatever the insertion order.
  const written = Object.keys(copy);
  for (let i = 1; i < written.length; i++) if (!(written[i - 1] < written[i])) return NOT_PLAIN;
  return copy;
}

export function computeEventHash(event: HashedFields): string {
  return sha256(coveredJson(event, canonical(event.data), canonical(event.metadata)));
}

/**
 * What makes two appends "the same event" for idempotency: what the recorder said, not
 * when or by whom the server stored it.
 */
export function contentDigest(streamId: string, event: DigestedFields): string {
  return sha256(digestedJson(streamId, event, canonical(event.data)));
}

/**
 * Both of an event's hashes at append time, canonicalizing its data (the bulk of it) once,
 * and the canonical text of data and metadata, which is what the store keeps.
 */
export function sealEvent(event: HashedFields): { hash: string; contentDigest: string; dataJson: string | undefined; metadataJson: string | undefined } {
  const data = canonical(event.data);
  const metadata = canonical(event.metadata);
  return {
    hash: sha256(coveredJson(event, data, metadata)),
    contentDigest: sha256(digestedJson(event.streamId, event, data)),
    dataJson: data,
    metadataJson: metadata,
  };
}

type DigestedFields = { type: string; occurredAt: string; occurredAtPrecision: string; data: unknown; metadata: { source?: unknown; confidence?: unknown } };

/** Node's one-shot hash (20.12 and later) skips the Hash object: about a third less per event's two hashes. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;

function sha256(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex');
}

/**
 * The canonical JSON of the covered fields, written out in RFC 8785 key order around the
 * already canonical data and metadata, so that those are serialized once. Equal to
 * `canonicalJson` of the object (a property test holds it to that); an envelope missing a
 * field takes the generic path, which leaves such keys out.
 */
function coveredJson(e: HashedFields, data: string | undefined, metadata: string | undefined): string {
  if (!isText(data, metadata, e.eventId, e.occurredAt, e.occurredAtPrecision, e.prevHash, e.recordedAt, e.streamId, e.type) || !Number.isFinite(e.revision)) {
    return canonicalJson({ eventId: e.eventId, type: e.type, streamId: e.streamId, revision: e.revision, occurredAt: e.occurredAt,
      occurredAtPrecision: e.occurredAtPrecision, recordedAt: e.recordedAt, data: e.data, metadata: e.metadata, prevHash: e.prevHash });
  }
  const q = JSON.stringify;
  return `{"data":${data},"eventId":${q(e.eventId)},"metadata":${metadata},"occurredAt":${q(e.occurredAt)},"occurredAtPrecision":${q(e.occurredAtPrecision)},"prevHash":${q(e.prevHash)},"recordedAt":${q(e.recordedAt)},"revision":${canonicalJson(e.revision)},"streamId":${q(e.streamId)},"type":${q(e.type)}}`;
}

function digestedJson(streamId: string, e: DigestedFields, data: string | undefined): string {
  if (!isText(data, streamId, e.type, e.occurredAt, e.occurredAtPrecision)) {
    return canonicalJson({ streamId, type: e.type, occurredAt: e.occurredAt, occurredAtPrecision: e.occurredAtPrecision, data: e.data,
      source: e.metadata.source ?? null, confidence: e.metadata.confidence ?? null });
  }
  const q = JSON.stringify;
  return `{"confidence":${canonicalJson(e.metadata.confidence ?? null)},"data":${data},"occurredAt":${q(e.occurredAt)},"occurredAtPrecision":${q(e.occurredAtPrecision)},"source":${canonicalJson(e.metadata.source ?? null)},"streamId":${q(streamId)},"type":${q(e.type)}}`;
}

function isText(...values: unknown[]): boolean {
  return values.every((v) => typeof v === 'string');
}
