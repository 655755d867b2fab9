import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, computeEventHash, contentDigest, sealEvent, type HashedFields } from './hash-chain';

const sha = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('hex');

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
        expect(sealEvent(e)).toEqual({ hash: definedHash(e), contentDigest: definedDigest(e) });
      }),
      { numRuns: 500 },
    );
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
