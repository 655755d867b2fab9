import { startTestLedger, type TestLedger } from '../support/app';
import { bearer, LEDGER_API_KEYS, TOKENS } from './support/keys';

describe('rate limits (LEDGER_RATE_LIMIT requests per minute)', () => {
  describe('with keys: one budget per key, across every route', () => {
    let ledger: TestLedger;
    beforeAll(async () => {
      ledger = await startTestLedger({ env: { LEDGER_API_KEYS, LEDGER_RATE_LIMIT: '5' }, background: false });
    });
    afterAll(() => ledger?.dispose());

    it('answers 429 REQUEST.RATE_LIMITED with Retry-After once a key has used its minute', async () => {
      const urls = ['/health', '/v1/timeline', '/v1/streams/jurisdiction-x', '/v1/audit/verify', '/health'];
      for (const url of urls) {
        const ok = await ledger.inject({ method: 'GET', url, headers: bearer('auditor') });
        expect(ok.statusCode).not.toBe(429);
        expect(ok.headers['x-ratelimit-limit']).toBe('5');
      }
      const limited = await ledger.inject({ method: 'GET', url: '/health', headers: bearer('auditor') });
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['content-type']).toContain('application/problem+json');
      expect(limited.json()).toMatchObject({ code: 'REQUEST.RATE_LIMITED', status: 429 });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(Number.isInteger(retryAfter)).toBe(true);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    });

    it('leaves other keys their own budget', async () => {
      const other = await ledger.inject({ method: 'GET', url: '/health', headers: bearer('analyst') });
      expect(other.statusCode).toBe(200);
    });

    it('counts callers without a valid key by address, so a flood of bad keys is limited too', async () => {
      const from = (remoteAddress: string, token: string) =>
        ledger.inject({ method: 'GET', url: '/v1/timeline', remoteAddress, headers: { authorization: `Bearer ${token}-${Math.random()}` } });
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await from('10.9.8.7', TOKENS.unknown)).statusCode);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      expect((await from('10.9.8.6', TOKENS.unknown)).statusCode).toBe(401);
    });
  });

  describe('open mode: one budget per client address', () => {
    let ledger: TestLedger;
    beforeAll(async () => {
      ledger = await startTestLedger({ env: { LEDGER_RATE_LIMIT: '3' }, background: false });
    });
    afterAll(() => ledger?.dispose());

    it('limits each address apart', async () => {
      const get = (remoteAddress: string) => ledger.inject({ method: 'GET', url: '/health', remoteAddress });
      const first = [await get('127.0.0.2'), await get('127.0.0.2'), await get('127.0.0.2'), await get('127.0.0.2')].map((r) => r.statusCode);
      expect(first).toEqual([200, 200, 200, 429]);
      expect((await get('127.0.0.3')).statusCode).toBe(200);
    });
  });

  describe('LEDGER_RATE_LIMIT=0', () => {
    let ledger: TestLedger;
    beforeAll(async () => {
      ledger = await startTestLedger({ env: { LEDGER_RATE_LIMIT: '0' }, background: false });
    });
    afterAll(() => ledger?.dispose());

    it('turns limiting off', async () => {
      for (let i = 0; i < 50; i++) {
        const res = await ledger.inject({ method: 'GET', url: '/health' });
        expect(res.statusCode).toBe(200);
        expect(res.headers['x-ratelimit-limit']).toBeUndefined();
      }
    });
  });

  it('refuses to start on a malformed LEDGER_RATE_LIMIT', async () => {
    await expect(startTestLedger({ env: { LEDGER_RATE_LIMIT: 'lots' } })).rejects.toThrow(/LEDGER_RATE_LIMIT must be a whole number/);
  });
});
