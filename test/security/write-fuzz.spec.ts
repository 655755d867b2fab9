import { ERROR_CODES } from '@ledger/domain';
import fc from 'fast-check';
import { startTestLedger, type TestLedger } from '../support/app';
import { bearer, LEDGER_API_KEYS } from './support/keys';
import { pathFor, seedLedger, VALID_BODIES, VALID_IMPORT_LINE } from './support/write-bodies';

/**
 * Property: no write body, however hostile, gets past the edge. Every fuzzed request to
 * every write route answers 4xx problem+json with a documented code, the log's head does
 * not move, and Object.prototype is untouched.
 */

const IMPORT_CAP = 64 * 1024;
const MAX_JSON = 1024 * 1024;
const RUNS_PER_ROUTE = Number(process.env.FUZZ_RUNS ?? 25);

const json = (v: unknown) => JSON.stringify(v);
const junkValue = fc.jsonValue({ maxDepth: 3 });
/** A key no schema knows (an unknown field must always be refused). */
const unknownKey = fc.string({ minLength: 1, maxLength: 12 }).map((s) => `zz${s}`);
const pollutingValue = fc.constantFrom('{"polluted":"yes"}', '{"prototype":{"polluted":"yes"}}', '{"toString":"x","polluted":1}', '[{"polluted":true}]');

/** Splices a raw `"key": value` member into JSON text at the top, inside `source`, or deep down. */
function injectMember(text: string, key: string, value: string, where: 'top' | 'source' | 'deep'): string {
  const member = `${JSON.stringify(key).replace('__proto__', '\\u005f_proto__').replace(/\\u005f/, '_')}:${value}`;
  if (where === 'source' && text.includes('"source":{')) return text.replace('"source":{', `"source":{${member},`);
  if (where === 'deep') return `{"zzwrap":{"a":[1,{${member}}]},${text.slice(1)}`.replace(',}', '}');
  return text === '{}' ? `{${member}}` : `{${member},${text.slice(1)}`;
}

function nested(depth: number, shape: 'array' | 'object'): string {
  return shape === 'array' ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Hostile JSON bodies built around a body the route would accept. */
function jsonBodies(base: Record<string, unknown>): fc.Arbitrary<{ kind: string; payload: string; contentType?: string }> {
  const text = json(base);
  const keys = Object.keys(base);
  const arbs: fc.Arbitrary<{ kind: string; payload: string; contentType?: string }>[] = [
    fc.string({ unit: 'binary', maxLength: 300 }).map((payload) => ({ kind: 'random text', payload })),
    fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((n) => ({ kind: 'truncated', payload: text.slice(0, n) })),
    junkValue.map((v) => ({ kind: 'random json', payload: json(v) })),
    fc.tuple(unknownKey, junkValue).map(([k, v]) => ({ kind: 'unknown field', payload: json({ ...base, [k]: v }) })),
    fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), pollutingValue, fc.constantFrom('top', 'source', 'deep') as fc.Arbitrary<'top' | 'source' | 'deep'>).map(
      ([key, value, where]) => ({ kind: `${key} at ${where}`, payload: injectMember(text, key, value, where) }),
    ),
    fc.tuple(fc.integer({ min: 500, max: 150_000 }), fc.constantFrom('array', 'object') as fc.Arbitrary<'array' | 'object'>, fc.boolean()).map(([depth, shape, whole]) => ({
      kind: `nested ${depth} ${shape}${whole ? '' : ' in a field'}`,
      payload: whole ? nested(depth, shape) : `{"zzdeep":${nested(depth, shape)},${text.slice(1)}`.replace(',}', '}'),
    })),
    fc.integer({ min: MAX_JSON + 1, max: MAX_JSON + 64 * 1024 }).map((size) => ({
      kind: 'oversized',
      payload: json({ ...base, zzpad: 'x'.repeat(size) }),
    })),
    fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml').map((contentType) => ({ kind: `as ${contentType}`, payload: text, contentType })),
  ];
  if (keys.length) {
    // a field of the wrong shape: objects and arrays for scalars, scalars for objects and arrays (never null: it reads as absent)
    const wrongShape = fc.constantFrom(...keys).chain((key) =>
      (typeof base[key] === 'object' ? fc.oneof(fc.integer(), fc.boolean(), fc.string()) : fc.oneof(fc.dictionary(fc.string(), junkValue), fc.array(junkValue))).map(
        (value) => ({ kind: `${key} of the wrong shape`, payload: json({ ...base, [key]: value }) }),
      ),
    );
    arbs.push(wrongShape);
  }
  return fc.oneof(...arbs);
}

/** Hostile NDJSON imports: a good line next to a bad one, or more bytes than the cap allows. */
function importBodies(): fc.Arbitrary<{ kind: string; payload: string }> {
  const good = json(VALID_IMPORT_LINE);
  const bad: fc.Arbitrary<{ kind: string; line: string }> = fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength: 200 }).filter((s) => s.trim() !== '' && !s.includes('\n') && !s.includes('\r')).map((line) => ({ kind: 'random line', line })),
    fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), pollutingValue, fc.constantFrom('top', 'deep') as fc.Arbitrary<'top' | 'deep'>).map(([key, value, where]) => ({
      kind: `${key} in a line`,
      line: injectMember(good.replace('jurisdiction-denver-co', 'jurisdiction-aurora-co'), key, value, where),
    })),
    fc.tuple(unknownKey, junkValue).map(([k, v]) => ({ kind: 'unknown data field', line: json({ ...VALID_IMPORT_LINE, streamId: 'jurisdiction-boulder-co', data: { ...VALID_IMPORT_LINE.data, [k]: v } }) })),
    fc.integer({ min: 500, max: 20_000 }).map((depth) => ({ kind: 'nested line', line: `{"type":"JurisdictionRegistered","data":${nested(depth, 'object')}}` })),
    junkValue.map((v) => ({ kind: 'random json line', line: json(v) })),
  );
  return fc.oneof(
    fc.tuple(bad, fc.boolean()).map(([b, first]) => ({ kind: b.kind, payload: (first ? [b.line, good] : [good, b.line]).join('\n') + '\n' })),
    fc.integer({ min: IMPORT_CAP + 1, max: IMPORT_CAP * 3 }).map((size) => {
      const lines: string[] = [];
      for (let i = 0; lines.join('\n').length < size; i++) lines.push(json({ ...VALID_IMPORT_LINE, streamId: `jurisdiction-town-${i}-co` }));
      return { kind: 'over the import cap', payload: lines.join('\n') + '\n' };
    }),
  );
}

/** Path parameters that are not the seeded ids: junk, traversal, very long. */
const junkParam = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }).map(encodeURIComponent),
  fc.constantFrom('..%2F..%2Fetc%2Fpasswd', '%00', 'a'.repeat(300), '__proto__', 'constructor', 'CHICAGO-IL', '%E2%80%AE', '%E0%A4%A', '%'),
);

function prototypeSnapshot(): string {
  return Object.getOwnPropertyNames(Object.prototype).sort().join(',') + `|${typeof Object.prototype.toString}`;
}

describe('fuzzing every write route with hostile bodies', () => {
  let ledger: TestLedger;
  let letterEventId: string;
  let head: number;
  let writeRoutes: string[];
  const savedCap = process.env.LEDGER_IMPORT_MAX_BYTES;
  const cleanPrototype = prototypeSnapshot();

  beforeAll(async () => {
    process.env.LEDGER_IMPORT_MAX_BYTES = String(IMPORT_CAP);
    ledger = await startTestLedger({ env: { LEDGER_API_KEYS }, background: false });
    ({ letterEventId } = await seedLedger(ledger));
    head = await ledger.store.headPosition();
    writeRoutes = [...new Set(ledger.routes.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method)).map((r) => `${r.method} ${r.url}`))];
  });
  afterAll(async () => {
    if (savedCap === undefined) delete process.env.LEDGER_IMPORT_MAX_BYTES;
    else process.env.LEDGER_IMPORT_MAX_BYTES = savedCap;
    await ledger?.dispose();
  });

  it('knows a valid body for every recorder route, and each is accepted on a ledger like the fuzzed one', async () => {
    const control = await startTestLedger({ env: { LEDGER_API_KEYS }, background: false });
    try {
      const { letterEventId: controlLetter } = await seedLedger(control);
      for (const [route, body] of Object.entries(VALID_BODIES)) {
        const [method, url] = route.split(' ');
        const res = await control.inject({ method: method as 'POST', url: pathFor(url, controlLetter), headers: bearer('recorder'), payload: body });
        expect([route, res.statusCode]).toEqual([route, 201]);
      }
      const imported = await control.inject({
        method: 'POST',
        url: '/v1/import',
        headers: { ...bearer('recorder'), 'content-type': 'application/x-ndjson' },
        payload: json(VALID_IMPORT_LINE) + '\n',
      });
      expect(imported.statusCode).toBe(200);
    } finally {
      await control.dispose();
    }
    // webhooks and admin routes are fuzzed from an empty base: none of their bodies records an event here
    const recorderRoutes = writeRoutes.filter((r) => r.startsWith('POST /v1/') && !/^POST \/v1\/(webhooks|admin)/.test(r) && r !== 'POST /v1/import');
    expect(recorderRoutes.filter((r) => !VALID_BODIES[r])).toEqual([]);
  });

  it('answers only 4xx problem+json, moves no position, and leaves Object.prototype alone', async () => {
    const failures: string[] = [];
    for (const route of writeRoutes) {
      const [method, url] = route.split(' ');
      const isImport = url === '/v1/import';
      const body = isImport ? importBodies() : jsonBodies(VALID_BODIES[route] ?? {});
      const param = url.includes(':') ? fc.option(junkParam, { freq: 4, nil: undefined }) : fc.constant(undefined);
      await fc.assert(
        fc.asyncProperty(body, param, async (b, junk) => {
          const path = junk === undefined ? pathFor(url, letterEventId) : url.replace(/:[A-Za-z]+/, junk).replace(/:[A-Za-z]+/g, 'x');
          const contentType = isImport ? 'application/x-ndjson' : ((b as { contentType?: string }).contentType ?? 'application/json');
          const res = await ledger.inject({
            method: method as 'POST',
            url: path,
            headers: { ...bearer('recorder+analyst+auditor+admin'), 'content-type': contentType },
            payload: b.payload,
          });
          const problem = res.headers['content-type']?.toString().startsWith('application/problem+json') ? res.json() : null;
          const what = `${route} [${b.kind}${junk === undefined ? '' : `, path ${junk.slice(0, 40)}`}] → ${res.statusCode} ${problem?.code ?? res.body.slice(0, 120)}`;
          const ok =
            res.statusCode >= 400 &&
            res.statusCode < 500 &&
            problem !== null &&
            ERROR_CODES[problem.code] !== undefined &&
            prototypeSnapshot() === cleanPrototype &&
            ({} as Record<string, unknown>).polluted === undefined &&
            (await ledger.store.headPosition()) === head;
          if (!ok) failures.push(what.slice(0, 300));
          return ok;
        }),
        { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      ).catch((error: Error) => failures.push(`${route}: ${error.message.slice(0, 160)}…`));
    }
    expect(failures).toEqual([]);
  });
});
