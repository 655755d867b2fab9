import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import helmet from 'helmet';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../../apps/ledger-api/src/app.factory';
import { JsonLogger } from '../../apps/ledger-api/src/http/json-logger';
import { startTestLedger, type TestLedger } from '../support/app';
import { bearer, KEY_NAMES, LEDGER_API_KEYS, TOKENS } from './support/keys';

const CHICAGO = { id: 'chicago-il', name: 'City of Chicago', kind: 'city', state: 'IL' };

/** A real store that fails or stalls on one call, the way a broken disk or a lock would. */
function faultyStore(store: EventStore, faults: Partial<Record<keyof EventStore, () => Promise<never>>>): EventStore {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const fault = faults[prop as keyof EventStore];
      if (fault) return fault;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Keeps every log line the app writes, to look for secrets in them. */
class CapturingLogger extends JsonLogger {
  readonly lines: string[] = [];
  private keep(args: unknown[]) {
    this.lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  }
  override log(...args: unknown[]) { this.keep(args); }
  override error(...args: unknown[]) { this.keep(args); }
  override warn(...args: unknown[]) { this.keep(args); }
  override debug(...args: unknown[]) { this.keep(args); }
  override verbose(...args: unknown[]) { this.keep(args); }
  override fatal(...args: unknown[]) { this.keep(args); }
}

describe('HTTP hardening', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startTestLedger({ env: { LEDGER_API_KEYS }, background: false });
  });
  afterAll(() => ledger?.dispose());

  it('sends security headers on every answer, errors included, with a request id', async () => {
    for (const res of [
      await ledger.inject({ method: 'GET', url: '/health' }),
      await ledger.inject({ method: 'GET', url: '/v1/timeline' }),
      await ledger.inject({ method: 'GET', url: '/no/such/route' }),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['strict-transport-security']).toContain('max-age=');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("sends exactly the headers helmet's own middleware sets on a real response", async () => {
    const server = createServer((req, res) =>
      helmet({ contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } } })(req, res, () => res.end('ok')),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const reference = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      const expected = Object.fromEntries([...reference.headers].filter(([name]) => !['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'].includes(name)));
      expect(Object.keys(expected).length).toBeGreaterThan(10);
      const ours = await ledger.inject({ method: 'GET', url: '/health' });
      for (const [name, value] of Object.entries(expected)) expect([name, ours.headers[name]]).toEqual([name, value]);
    } finally {
      server.close();
    }
  });

  it('keeps CORS off when no origins are configured', async () => {
    const preflight = await ledger.inject({
      method: 'OPTIONS',
      url: '/v1/jurisdictions',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const get = await ledger.inject({ method: 'GET', url: '/health', headers: { origin: 'https://evil.example' } });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('caps page sizes on every route', async () => {
    for (const url of ['/v1/timeline?limit=1001', '/v1/streams/jurisdiction-chicago-il?limit=50000', '/health?pageSize=2000']) {
      const res = await ledger.inject({ method: 'GET', url, headers: bearer('auditor') });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'REQUEST.INVALID', errors: [{ reasons: [expect.stringMatching(/must not exceed 1000/)] }] });
    }
  });

  it('refuses a JSON body over 1 MB with 413 before reading it all', async () => {
    const res = await ledger.inject({
      method: 'POST',
      url: '/v1/jurisdictions',
      headers: { ...bearer('recorder'), 'content-type': 'application/json' },
      payload: JSON.stringify({ ...CHICAGO, name: 'x'.repeat(1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('REQUEST.BODY_TOO_LARGE');
    expect(await ledger.store.headPosition()).toBe(-1);
  });

  describe('recordedBy is the key’s name, never the body’s', () => {
    it('refuses recordedBy or metadata in a write body, and stores nothing', async () => {
      for (const extra of [{ recordedBy: 'mallory' }, { metadata: { recordedBy: 'mallory' } }]) {
        const res = await ledger.inject({ method: 'POST', url: '/v1/jurisdictions', headers: bearer('recorder'), payload: { ...CHICAGO, ...extra } });
        expect(res.statusCode).toBe(400);
        expect(res.json().errors).toEqual([{ field: Object.keys(extra)[0], reasons: [`${Object.keys(extra)[0]} is not a known field`] }]);
      }
      expect(await ledger.store.headPosition()).toBe(-1);
    });

    it('stores the name of the key that wrote the event', async () => {
      const res = await ledger.inject({ method: 'POST', url: '/v1/jurisdictions', headers: bearer('recorder'), payload: CHICAGO });
      expect(res.statusCode).toBe(201);
      const stored = await ledger.inject({ method: 'GET', url: `/v1/events/${res.json().eventId}`, headers: bearer('auditor') });
      expect(stored.json().metadata.recordedBy).toBe(KEY_NAMES.recorder);
    });

    it('ignores recordedBy in an import line and stores the importing key’s name', async () => {
      const line = {
        type: 'OrganizationRegistered',
        streamId: 'organization-us-doj',
        occurredAt: '2018-01-01',
        data: { name: 'U.S. Department of Justice', level: 'federal' },
        metadata: { recordedBy: 'mallory' },
      };
      const res = await ledger.inject({
        method: 'POST',
        url: '/v1/import',
        headers: { ...bearer('recorder+auditor'), 'content-type': 'application/x-ndjson' },
        payload: JSON.stringify(line) + '\n',
      });
      expect(res.statusCode).toBe(200);
      const [event] = await ledger.store.readStream('organization-us-doj');
      expect(event.metadata.recordedBy).toBe(KEY_NAMES['recorder+auditor']);
    });
  });
});

describe('CORS for configured origins (LEDGER_CORS_ORIGINS)', () => {
  let ledger: TestLedger;
  beforeAll(async () => {
    ledger = await startTestLedger({ env: { LEDGER_CORS_ORIGINS: 'https://newsroom.example, https://watchdog.example' }, background: false });
  });
  afterAll(() => ledger?.dispose());

  it('allows only the listed origins', async () => {
    const from = (origin: string) =>
      ledger.inject({ method: 'OPTIONS', url: '/v1/jurisdictions', headers: { origin, 'access-control-request-method': 'POST' } });
    expect((await from('https://watchdog.example')).headers['access-control-allow-origin']).toBe('https://watchdog.example');
    expect((await from('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('failures inside the ledger', () => {
  let dataDir: string;
  let store: SqliteEventStore;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ledger-faults-'));
    store = new SqliteEventStore({ file: join(dataDir, 'ledger.sqlite') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers a 500 with a request id only: no stack, SQL or file path, and logs no token', async () => {
    const leaky = new Error(`SQLITE_CORRUPT: database disk image is malformed in SELECT * FROM events WHERE stream_id = ? (${join(dataDir, 'ledger.sqlite')})`);
    const logger = new CapturingLogger('debug');
    const ledger = await startTestLedger({
      env: { LEDGER_API_KEYS },
      logger,
      background: false,
      store: faultyStore(store, { readStream: () => Promise.reject(leaky) }),
    });
    try {
      const res = await ledger.inject({ method: 'GET', url: '/v1/streams/jurisdiction-chicago-il', headers: bearer('auditor') });
      expect(res.statusCode).toBe(500);
      const body = res.json();
      expect(Object.keys(body).sort()).toEqual(['code', 'detail', 'errors', 'instance', 'requestId', 'status', 'title', 'type']);
      expect(body).toMatchObject({ code: 'INTERNAL', errors: [], requestId: res.headers['x-request-id'] });
      expect(res.body).not.toMatch(/SQLITE|SELECT|ledger\.sqlite|\/tmp|\/work|\.ts|at [A-Za-z]+ \(/);
      // the operator's log has what the caller does not: the cause, under the same request id
      const logged = logger.lines.join('\n');
      expect(logged).toContain(body.requestId);
      expect(logged).toContain('SQLITE_CORRUPT');
      for (const token of Object.values(TOKENS)) expect(logged).not.toContain(token);
    } finally {
      await ledger.dispose();
    }
  });

  it('answers 503 REQUEST.TIMEOUT when a handler takes longer than LEDGER_REQUEST_TIMEOUT_MS', async () => {
    let release!: () => void;
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const ledger = await startTestLedger({
      env: { LEDGER_REQUEST_TIMEOUT_MS: '200' },
      background: false,
      store: faultyStore(store, { headPosition: () => stalled.then(() => -1) as Promise<never> }),
    });
    try {
      const res = await ledger.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json().code).toBe('REQUEST.TIMEOUT');
      expect(res.headers['retry-after']).toBe('1');
      // a route that answers in time is unaffected
      expect((await ledger.inject({ method: 'GET', url: '/v1/streams/jurisdiction-x' })).statusCode).toBe(404);
    } finally {
      release();
      await ledger.dispose();
    }
  });
});

describe('binding', () => {
  it('refuses to start on a non-loopback address without keys, with a message that says what to do', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ledger-bind-'));
    try {
      await expect(createApp({ env: { HOST: '0.0.0.0', LEDGER_DATA_DIR: dataDir }, logger: false })).rejects.toThrow(
        /refusing to listen on 0\.0\.0\.0 with no API keys: set LEDGER_API_KEYS/,
      );
      const withKeys = await createApp({ env: { HOST: '0.0.0.0', LEDGER_DATA_DIR: dataDir, LEDGER_API_KEYS }, logger: false, background: false });
      expect(withKeys.openMode).toBe(false);
      await withKeys.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
