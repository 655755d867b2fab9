import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, computeEventHash, contentDigest, sealEvent, type HashedFields } from './hash-chain';
import { outcome } from '../../../test/support/json-mutations';

// The library is the definition; the module's own fast paths are held to it.
const sha = (value: unknown) => createHash('sha256').update(canonicalize(value)!).digest('hex');

/** The same JSON value with every object's keys inserted in sorted order (as the store keeps them). */
const sorted = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(sorted)
    : value !== null && typeof value === 'object'
      ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sorted((value as Record<string, unknown>)[k])]))
      : value;

/** The definitions the hand-ordered serializations must keep to: canonical JSON of these objects. */
const definedHash = (e: HashedFields) =>
  sha({ eventId: e.eventId, type: e.type, streamId: e.streamId, revision: e.revision, occurredAt: e.occurredAt,
    occurredAtPrecision: e.occurredAtPrecision, recordedAt: e.recordedAt, data: e.data, metadata: e.metadata, prevHash: e.prevHash });
const definedDigest = (e: HashedFields) =>
  sha({ streamId: e.streamId, type: e.type, occurredAt: e.occurredAt, occurredAtPrecision: e.occurredAtPrecision, data: e.data,
    source: e.metadata.source ?? null, confidence: e.metadata.confidence ?? null });

const text = fc.string({ unit: 'binary', maxLength: 12 });
const json = fc.jsonValue({ maxDepth: 3 });
const envelope: fc.Arbitrary<HashedFields> = fc.record({
  eventId: text,
  type: text,
  streamId: text,
  revision: fc.integer({ min: 0, max: 2 ** 40 }),
  occurredAt: text,
  occurredAtPrecision: fc.constantFrom('instant', 'day', 'month', 'year') as fc.Arbitrary<HashedFields['occurredAtPrecision']>,
  recordedAt: text,
  data: fc.dictionary(text, json) as fc.Arbitrary<Record<string, unknown>>,
  metadata: fc.record(
    { source: fc.option(fc.record({ publication: text, url: text }), { nil: undefined }), confidence: fc.option(fc.constantFrom('confirmed', 'reported'), { nil: undefined }), recordedBy: text, schemaVersion: fc.nat() },
    { requiredKeys: ['recordedBy', 'schemaVersion'] },
  ) as fc.Arbitrary<HashedFields['metadata']>,
  prevHash: text,
});

describe('event hashes', () => {
  it('given any envelope, the hand-ordered serialization hashes exactly as canonical JSON of the covered fields', () => {
    fc.assert(
      fc.property(envelope, (e) => {
        expect(computeEventHash(e)).toBe(definedHash(e));
        expect(contentDigest(e.streamId, e)).toBe(definedDigest(e));
        expect(sealEvent(e)).toEqual({ hash: definedHash(e), contentDigest: definedDigest(e), dataJson: canonicalize(e.data), metadataJson: canonicalize(e.metadata) });
        // Read back from the store (canonical text, parsed): the same hashes.
        const stored = { ...e, data: sorted(e.data), metadata: sorted(e.metadata) } as HashedFields;
        expect(computeEventHash(stored)).toBe(definedHash(e));
        expect(contentDigest(stored.streamId, stored)).toBe(definedDigest(e));
      }),
      { numRuns: 500 },
    );
  });

  it('given any JSON value, in any key order, canonical JSON is the library\'s', () => {
    // Keys that sort unlike they enumerate, and keys every object inherits (`__proto__` made own, as JSON.parse does).
    const awkward = fc.dictionary(fc.constantFrom('1', '2', '10', 'a', 'B', 'é', '\u{1F600}', '\uFFFF', '__proto__', 'constructor', 'toString'), fc.jsonValue({ maxDepth: 2 }));
    const nestedAwkward = fc.tuple(awkward, awkward).map(([outer, inner]) => JSON.parse(JSON.stringify({ ...outer, z: [inner], a: inner })) as unknown);
    const values = fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.jsonValue({ maxDepth: 4 }).map(sorted), awkward.map(sorted), awkward, nestedAwkward);
    fc.assert(
      fc.property(values, (value) => {
        expect(canonicalJson(value)).toBe(canonicalize(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('values JSON.parse never yields take the library path, with its answers', () => {
    for (const value of [{ b: undefined, a: 1 }, [undefined, 1], { at: new Date(0) }, { n: NaN }, { x: -0 }, { '10': 1, '9': 2 }]) {
      expect(outcome(() => canonicalJson(value))).toEqual(outcome(() => canonicalize(value)));
    }
  });

  it('given an envelope missing fields (a damaged row), the hash still equals canonical JSON without them', () => {
    const e = { eventId: 'e', type: 't', streamId: 's', revision: 0, occurredAt: undefined, occurredAtPrecision: 'day', recordedAt: 'r', data: undefined, metadata: {}, prevHash: 'p' } as unknown as HashedFields;
    expect(computeEventHash(e)).toBe(definedHash(e));
  });

  it('given one changed byte anywhere in the data, the hash changes', () => {
    const e: HashedFields = { eventId: 'e', type: 'LetterSent', streamId: 'jurisdiction-x', revision: 1, occurredAt: '2018-01-24', occurredAtPrecision: 'day', recordedAt: '2018-01-25T00:00:00.000Z', data: { letterId: 'a' }, metadata: { recordedBy: 'me', schemaVersion: 1 }, prevHash: '0'.repeat(64) };
    expect(computeEventHash({ ...e, data: { letterId: 'b' } })).not.toBe(computeEventHash(e));
  });
});
