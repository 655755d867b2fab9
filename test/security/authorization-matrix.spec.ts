import type { AddressInfo } from 'node:net';
import { startTestLedger, type TestLedger } from '../support/app';
import { LEDGER_API_KEYS, TOKENS, type Role } from './support/keys';

type Access = 'public' | readonly Role[];
const RECORDER: Access = ['recorder'];
const ANALYST: Access = ['analyst'];
const AUDITOR: Access = ['auditor'];
const ADMIN: Access = ['admin'];

/**
 * Who may call each route, from DESIGN.md's route table. Every route the app serves must
 * be listed here (a `*` at the end covers a prefix, for the Swagger UI's files), and every
 * entry must be served: a route added later fails this test until it is given a row.
 */
const EXPECTED: Record<string, Access> = {
  // writes
  'POST /v1/jurisdictions': RECORDER,
  'POST /v1/organizations': RECORDER,
  'POST /v1/officials': RECORDER,
  'POST /v1/meetings': RECORDER,
  'POST /v1/meetings/:id/held': RECORDER,
  'POST /v1/jurisdictions/:id/letters': RECORDER,
  'POST /v1/jurisdictions/:id/deadlines': RECORDER,
  'POST /v1/jurisdictions/:id/responses': RECORDER,
  'POST /v1/jurisdictions/:id/subpoena-threats': RECORDER,
  'POST /v1/jurisdictions/:id/subpoenas': RECORDER,
  'POST /v1/jurisdictions/:id/funding-threats': RECORDER,
  'POST /v1/officials/:id/statements': RECORDER,
  'POST /v1/organizations/:id/statements': RECORDER,
  'POST /v1/officials/:id/boycotts': RECORDER,
  'POST /v1/events/:eventId/corrections': RECORDER,
  'POST /v1/events/:eventId/retractions': RECORDER,
  'POST /v1/import': RECORDER,
  // projections
  'GET /v1/jurisdictions': ANALYST,
  'GET /v1/jurisdictions/:id': ANALYST,
  'GET /v1/officials': ANALYST,
  'GET /v1/officials/:id': ANALYST,
  'GET /v1/organizations/:id': ANALYST,
  'GET /v1/meetings/:id': ANALYST,
  'GET /v1/stats': ANALYST,
  'GET /v1/live': ANALYST,
  // the log and its audit
  'GET /v1/streams/:streamId': AUDITOR,
  'GET /v1/events/:eventId': AUDITOR,
  'GET /v1/timeline': AUDITOR,
  'GET /v1/export': AUDITOR,
  'GET /v1/audit/verify': AUDITOR,
  'GET /v1/audit/checkpoints': AUDITOR,
  'GET /v1/audit/proofs/:eventId': AUDITOR,
  'GET /v1/audit/consistency': AUDITOR,
  // webhooks and the operator's controls
  'POST /v1/webhooks': ADMIN,
  'GET /v1/webhooks': ADMIN,
  'GET /v1/webhooks/:id': ADMIN,
  'PATCH /v1/webhooks/:id': ADMIN,
  'DELETE /v1/webhooks/:id': ADMIN,
  'POST /v1/webhooks/:id/rotate-secret': ADMIN,
  'GET /v1/webhooks/:id/deliveries': ADMIN,
  'POST /v1/webhooks/:id/replay': ADMIN,
  'GET /v1/admin/projections': ADMIN,
  'POST /v1/admin/projections/:name/rebuild': ADMIN,
  // a public key is for anyone who wants to check a checkpoint's signature
  'GET /v1/audit/public-key': 'public',
  // operations
  'GET /health': 'public',
  'GET /metrics': 'public', // LEDGER_METRICS_ACCESS unset: open (see the last test)
  'GET /docs*': 'public',
};

const CALLERS = ['no key', 'bad key', 'malformed header', 'recorder', 'analyst', 'auditor', 'admin', 'recorder+auditor'] as const;
type Caller = (typeof CALLERS)[number];

function headersOf(caller: Caller): Record<string, string> {
  if (caller === 'no key') return {};
  if (caller === 'bad key') return { authorization: `Bearer ${TOKENS.unknown}` };
  if (caller === 'malformed header') return { authorization: `Basic ${Buffer.from(`x:${TOKENS.admin}`).toString('base64')}` };
  return { authorization: `Bearer ${TOKENS[caller]}` };
}

function rolesOf(caller: Caller): Role[] {
  return CALLERS.indexOf(caller) >= 3 ? (caller.split('+') as Role[]) : [];
}

/** What the key guard must answer: `pass` means anything but 401/403. */
function expectedOutcome(access: Access, caller: Caller): 'pass' | 'AUTH.MISSING_KEY' | 'AUTH.BAD_KEY' | 'AUTH.FORBIDDEN' {
  if (access === 'public') return 'pass';
  if (caller === 'no key') return 'AUTH.MISSING_KEY';
  if (caller === 'bad key' || caller === 'malformed header') return 'AUTH.BAD_KEY';
  return rolesOf(caller).some((r) => access.includes(r)) ? 'pass' : 'AUTH.FORBIDDEN';
}

function accessFor(route: string): Access | undefined {
  if (EXPECTED[route]) return EXPECTED[route];
  const prefix = Object.keys(EXPECTED).find((k) => k.endsWith('*') && route.startsWith(k.slice(0, -1)));
  return prefix ? EXPECTED[prefix] : undefined;
}

/** Fills path parameters with well-formed values, so that a passing request reaches the handler. */
function concretePath(url: string): string {
  return url
    .replace(/:eventId/g, '0b7e3c1e-6a38-4f6c-9d6c-1c1d2e3f4a5b')
    .replace(/:streamId/g, 'jurisdiction-chicago-il')
    .replace(/:[A-Za-z]+/g, 'chicago-il')
    .replace(/\*$/, 'index.html');
}

interface Answer {
  status: number;
  code?: string;
}

/** A real request on loopback; streams (server-sent events) are cut once the head is in. */
async function call(base: string, method: string, path: string, headers: Record<string, string>): Promise<Answer> {
  const controller = new AbortController();
  const withBody = !['GET', 'HEAD', 'DELETE'].includes(method);
  const contentType = path === '/v1/import' ? 'application/x-ndjson' : 'application/json';
  const res = await fetch(base + path, {
    method,
    headers: { ...headers, ...(withBody ? { 'content-type': contentType } : {}) },
    body: withBody ? (contentType === 'application/json' ? '{}' : '') : undefined,
    signal: controller.signal,
    redirect: 'manual',
  });
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) {
    controller.abort();
    return { status: res.status };
  }
  const body = (await res.json().catch(() => ({}))) as { code?: string };
  return { status: res.status, code: body.code };
}

describe('authorization matrix: every route × {no key, bad key, each role}', () => {
  let ledger: TestLedger;
  let base: string;
  let routes: string[];

  beforeAll(async () => {
    // background: the projector runs, so that projection routes answer rather than wait for it
    ledger = await startTestLedger({ env: { LEDGER_API_KEYS } });
    await ledger.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ledger.app.getHttpServer().address() as AddressInfo).port}`;
    routes = [...new Set(ledger.routes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS').map((r) => `${r.method} ${r.url}`))];
  });
  afterAll(() => ledger?.dispose());

  it('lists every route the app serves, and serves every route it lists', () => {
    const unlisted = routes.filter((r) => accessFor(r) === undefined);
    const notServed = Object.keys(EXPECTED).filter((k) => (k.endsWith('*') ? !routes.some((r) => r.startsWith(k.slice(0, -1))) : !routes.includes(k)));
    expect({ unlisted, notServed }).toEqual({ unlisted: [], notServed: [] });
  });

  it('answers each caller as the table says, and never fails inside', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const access = accessFor(route);
      if (!access) continue;
      const [method, url] = route.split(' ');
      for (const caller of CALLERS) {
        const expected = expectedOutcome(access, caller);
        const answer = await call(base, method, concretePath(url), headersOf(caller));
        const denied = answer.status === 401 || answer.status === 403;
        // 503 (a projection still catching up) is an answer; 500 is a failure inside
        const ok =
          answer.status !== 500 &&
          (expected === 'pass'
            ? !denied
            : answer.status === (expected === 'AUTH.FORBIDDEN' ? 403 : 401) && answer.code === expected);
        if (!ok) wrong.push(`${route} as ${caller}: expected ${expected}, got ${answer.status} ${answer.code ?? ''}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('names the missing role in a 403', async () => {
    const answer = await fetch(`${base}/v1/audit/verify`, { headers: headersOf('recorder') });
    const body = (await answer.json()) as { code: string; needed: string[] };
    expect(answer.status).toBe(403);
    expect(body.code).toBe('AUTH.FORBIDDEN');
    expect(body.needed).toEqual(['auditor']);
  });
});

describe('open mode (no keys, loopback)', () => {
  let ledger: TestLedger;
  let base: string;
  beforeAll(async () => {
    ledger = await startTestLedger({ env: {} });
    await ledger.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ledger.app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => ledger?.dispose());

  it('lets anyone call every route without a key', async () => {
    expect(ledger.openMode).toBe(true);
    const refused: string[] = [];
    for (const r of ledger.routes.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS')) {
      const answer = await call(base, r.method, concretePath(r.url), {});
      if (answer.status === 401 || answer.status === 403 || answer.status === 500) refused.push(`${r.method} ${r.url}: ${answer.status} ${answer.code ?? ''}`);
    }
    expect(refused).toEqual([]);
  });
});

describe('/metrics access is the operator’s choice (LEDGER_METRICS_ACCESS)', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startTestLedger({ env: { LEDGER_API_KEYS, LEDGER_METRICS_ACCESS: 'admin+auditor' }, background: false });
  });
  afterAll(() => ledger?.dispose());

  it('needs one of the configured roles', async () => {
    const as = (who?: Caller) => ledger.inject({ method: 'GET', url: '/metrics', headers: who ? headersOf(who) : {} });
    expect((await as()).statusCode).toBe(401);
    expect((await as('analyst')).statusCode).toBe(403);
    expect((await as('admin')).statusCode).toBe(200);
    expect((await as('recorder+auditor')).statusCode).toBe(200);
  });
});
