import fc from 'fast-check';

/**
 * Valid JSON values changed at random, as a hostile or careless client would: a field
 * set to another JSON value, removed, or added (including keys class-transformer skips).
 * For differential tests of validation: the changed value must be judged alike by the
 * ledger's quick path and by the library.
 */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keys class-transformer never copies onto an instance. */
export const SKIPPED_KEYS = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'];
const FIELD_NAMES = ['publication', 'url', 'title', 'quote', 'source', 'confidence', 'eventId', 'data', 'metadata', 'letterId', 'from', 'to', 'path', 'changes', 'recordedBy', 'occurredAt', 'expectedRevision', 'extra'];

const replacement: fc.Arbitrary<Json> = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>,
  fc.constantFrom<Json>(
    null, '', ' ', 'chicago-il', 'Chicago IL', 'organization:us-doj', '2018-01-24', '2018-02-30', '2018-01-24T15:00:00Z',
    'https://example.org/a', 'ftp://example.org/a', 'not a url', 'any', 'no-stream', ['subpoena'], [], [1], {},
    { publication: 'P' }, { publication: 'P', url: 'not a url' }, -1, -2, 0, 1.5, 'a'.repeat(201),
    [{ path: 'data.name', from: null, to: 'x' }], [{ path: 'data.name' }], ['a', null],
  ),
);

export interface Mutation {
  where: number;
  op: string;
  pick: number;
  key: string;
  value: Json;
}

export const mutations: fc.Arbitrary<Mutation[]> = fc.array(
  fc.record({
    where: fc.nat(),
    op: fc.constantFrom('set', 'delete', 'add'),
    pick: fc.nat(),
    key: fc.oneof(fc.constantFrom(...FIELD_NAMES, ...SKIPPED_KEYS), fc.string({ maxLength: 6 })),
    value: replacement,
  }),
  { minLength: 1, maxLength: 3 },
);

/** Every object and array inside a value, the value first. */
function containers(value: Json, out: (Json[] | Record<string, Json>)[] = []): (Json[] | Record<string, Json>)[] {
  if (value !== null && typeof value === 'object') {
    out.push(value);
    for (const child of Object.values(value)) containers(child, out);
  }
  return out;
}

/** A changed copy of the sample (the sample is left as it was). */
export function mutate(sample: object, changes: Mutation[]): Record<string, Json> {
  const value = JSON.parse(JSON.stringify(sample)) as Record<string, Json>;
  for (const { where, op, pick, key, value: shared } of changes) {
    const next = JSON.parse(JSON.stringify(shared)) as Json; // generated values are shared between runs
    const all = containers(value);
    const target = all[where % all.length] as Record<string, Json>;
    const keys = Object.keys(target);
    const existing = keys.length ? keys[pick % keys.length] : key;
    if (op === 'delete') {
      if (Array.isArray(target)) target.splice(pick % Math.max(1, target.length), 1);
      else delete target[existing];
    }
    // JSON arrays hold items only: a change to one replaces or adds an item.
    else if (Array.isArray(target)) target[op === 'add' ? target.length : pick % Math.max(1, target.length)] = next;
    // defineProperty, as JSON.parse does: an own property even for `__proto__`.
    else Object.defineProperty(target, op === 'add' ? key : existing, { value: next, enumerable: true, writable: true, configurable: true });
  }
  return value;
}

/** Whether an object anywhere in the value has a key class-transformer skips. */
export function hasSkippedKey(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  return Object.keys(value).some((key) => key in Object.prototype) || Object.values(value).some(hasSkippedKey);
}

/** What a check gave: its result, or what it threw (class-transformer throws on some skipped keys). */
export function outcome<T>(check: () => T): { result?: T; threw?: string } {
  try {
    return { result: check() };
  } catch (error) {
    return { threw: String(error) };
  }
}
