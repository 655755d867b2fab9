import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readDatasetLines, readDatasetText } from '@ledger/datasets';
import { startTestLedger, type TestLedger } from '../support/app';

/**
 * POST /v1/import against a real ledger on a temp SQLite dir: every line checked before
 * anything is stored, a line-numbered problem+json when any line is bad, `?partial=true`
 * to store the good lines, idempotent re-import by eventId, and a size cap.
 */
const NDJSON = { 'content-type': 'application/x-ndjson' };
const SOURCE = { publication: 'TheBlaze', url: 'https://www.theblaze.com/news/2018/01/24/x' };

const chicago = (eventId = randomUUID()) => ({
  type: 'JurisdictionRegistered',
  streamId: 'jurisdiction-chicago-il',
  eventId,
  occurredAt: '2018-01-01',
  data: { name: 'City of Chicago', kind: 'city', state: 'IL' },
  metadata: { source: SOURCE },
});
const letter = (streamId = 'jurisdiction-chicago-il') => ({
  type: 'LetterSent',
  streamId,
  eventId: randomUUID(),
  occurredAt: '2018-01-24',
  data: { letterId: 'doj-2018-01-24', from: 'organization:us-doj', subject: 'Records', demands: ['All documents'], threats: ['subpoena'] },
  metadata: { source: SOURCE },
});
const ndjson = (...lines: (object | string)[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

describe('POST /v1/import', () => {
  let ledger: TestLedger;
  beforeEach(async () => {
    ledger = await startTestLedger({ background: false });
  });
  afterEach(async () => {
    await ledger?.dispose();
  });

  const post = (payload: string, query = '', headers: Record<string, string> = NDJSON) =>
    ledger.inject({ method: 'POST', url: `/v1/import${query}`, headers, payload });

  it('imports the whole dataset, and a re-import adds nothing', async () => {
    const count = readDatasetLines().length;
    const first = await post(readDatasetText());
    expect(first.statusCode).toBe(200);
    const report = first.json();
    expect(report).toMatchObject({ lines: count, appended: count, skipped: 0, rejected: 0, errors: [] });
    const head = await ledger.store.headPosition();
    expect(report.lastPosition).toBe(head);
    expect((await ledger.store.readAll({ limit: 1000 })).length).toBe(count);

    const again = await post(readDatasetText());
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ lines: count, appended: 0, skipped: count, rejected: 0, lastPosition: null });
    expect(await ledger.store.headPosition()).toBe(head);
  });

  it('a ledger started on a data dir imported before catches up and serves the views', async () => {
    // `ledger import` (or `ledger demo`) then `ledger serve`: the projections start with a backlog.
    expect((await post(readDatasetText())).statusCode).toBe(200);
    const head = await ledger.store.headPosition();
    const first = ledger;
    await first.close();
    ledger = undefined as unknown as TestLedger; // closed; afterEach disposes only a second one
    try {
      ledger = await startTestLedger({ background: true, config: { dataDir: first.dataDir } });
      const chicago = await ledger.inject({ method: 'GET', url: `/v1/jurisdictions/chicago-il?minPosition=${head}` });
      expect(chicago.statusCode).toBe(200);
      expect(chicago.json()).toMatchObject({ id: 'chicago-il', lettersReceived: 1 });
    } finally {
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  });

  it('stores events with the recorder of the API key, and refuses a key without the recorder role', async () => {
    await ledger.dispose();
    ledger = await startTestLedger({
      background: false,
      env: { LEDGER_API_KEYS: 'loader:recorder:loader-token-0123456789,reader:analyst:reader-token-0123456789' },
    });
    const refused = await post(ndjson(chicago()), '', { ...NDJSON, authorization: 'Bearer reader-token-0123456789' });
    expect(refused.statusCode).toBe(403);
    expect(await ledger.store.headPosition()).toBe(-1);

    const ok = await post(ndjson(chicago()), '', { ...NDJSON, authorization: 'Bearer loader-token-0123456789' });
    expect(ok.statusCode).toBe(200);
    const [stored] = await ledger.store.readStream('jurisdiction-chicago-il');
    expect(stored.metadata.recordedBy).toBe('loader');
  });

  describe('a file with bad lines', () => {
    // line 1 good; 2 malformed JSON; 3 blank; 4 unknown type; 5 invalid fields; 6 a rule broken
    // (a letter to a jurisdiction never registered); 7 a __proto__ key; 8 good.
    const badFile = () =>
      ndjson(
        chicago(),
        '{"type":"JurisdictionRegistered", "streamId": ',
        '',
        { ...chicago(), type: 'JurisdictionAnnexed', streamId: 'jurisdiction-gary-in' },
        { ...chicago(), streamId: 'jurisdiction-gary-in', data: { name: '', kind: 'town', state: 'Indiana' } },
        letter('jurisdiction-nowhere-xx'),
        '{"type":"JurisdictionRegistered","__proto__":{"admin":true}}',
        letter(),
      );

    it('is refused as a whole with a line-numbered problem, and the ledger is unchanged', async () => {
      await post(ndjson({ ...chicago(), streamId: 'jurisdiction-boston-ma', data: { name: 'City of Boston', kind: 'city', state: 'MA' } }));
      const head = await ledger.store.headPosition();

      const response = await post(badFile());
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = response.json();
      expect(body).toMatchObject({ code: 'IMPORT.INVALID', status: 400, lines: 7 });
      expect(body.detail).toMatch(/5 of 7 lines are invalid; nothing was stored/);
      const byLine = (n: number) => body.errors.filter((e: { line: number }) => e.line === n);
      expect(new Set(body.errors.map((e: { line: number }) => e.line))).toEqual(new Set([2, 4, 5, 6, 7]));
      expect(byLine(2)).toEqual([{ line: 2, field: '(line)', reasons: [expect.stringMatching(/^not valid JSON/)] }]);
      expect(byLine(4)).toEqual([expect.objectContaining({ field: 'type', reasons: [expect.stringMatching(/catalogue/)] })]);
      expect(byLine(5).map((e: { field: string }) => e.field).sort()).toEqual(['data.kind', 'data.name', 'data.state']);
      expect(byLine(6)).toEqual([expect.objectContaining({ field: '(line)', reasons: [expect.stringMatching(/^JURISDICTION.NOT_REGISTERED/)] })]);
      expect(byLine(7)[0].reasons[0]).toMatch(/__proto__/);

      expect(await ledger.store.headPosition()).toBe(head);
      expect(await ledger.store.readStream('jurisdiction-chicago-il')).toEqual([]);
    });

    it('with ?partial=true stores the good lines and reports the bad ones', async () => {
      const response = await post(badFile(), '?partial=true');
      expect(response.statusCode).toBe(200);
      const report = response.json();
      expect(report).toMatchObject({ lines: 7, appended: 2, skipped: 0, rejected: 5 });
      expect(new Set(report.errors.map((e: { line: number }) => e.line))).toEqual(new Set([2, 4, 5, 6, 7]));
      const chicagoStream = await ledger.store.readStream('jurisdiction-chicago-il');
      expect(chicagoStream.map((e) => e.type)).toEqual(['JurisdictionRegistered', 'LetterSent']);
      expect(report.lastPosition).toBe(await ledger.store.headPosition());
    });
  });

  it('judges each line against the lines before it: a duplicate registration in one file is refused', async () => {
    const response = await post(ndjson(chicago(), chicago()));
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      expect.objectContaining({ line: 2, reasons: [expect.stringMatching(/^JURISDICTION.ALREADY_REGISTERED/)] }),
    ]);
    expect(await ledger.store.headPosition()).toBe(-1);
  });

  it('refuses an event id reused with a different body, and a repeated id within the file', async () => {
    const id = randomUUID();
    expect((await post(ndjson(chicago(id)))).statusCode).toBe(200);
    const head = await ledger.store.headPosition();
    const changed = { ...chicago(id), data: { name: 'Chicago', kind: 'city', state: 'IL' } };
    const response = await post(ndjson(changed));
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([{ line: 1, field: 'eventId', reasons: ['eventId was stored before with a different body'] }]);

    const twice = letter();
    const repeated = await post(ndjson(twice, twice));
    expect(repeated.json().errors).toEqual([{ line: 2, field: 'eventId', reasons: ['eventId repeats line 1'] }]);
    expect(await ledger.store.headPosition()).toBe(head);
  });

  describe('over LEDGER_IMPORT_MAX_BYTES', () => {
    let previous: string | undefined;
    beforeEach(() => {
      previous = process.env.LEDGER_IMPORT_MAX_BYTES;
      process.env.LEDGER_IMPORT_MAX_BYTES = '2048';
    });
    afterEach(() => {
      if (previous === undefined) delete process.env.LEDGER_IMPORT_MAX_BYTES;
      else process.env.LEDGER_IMPORT_MAX_BYTES = previous;
    });

    it('answers 413 for a declared length over the cap, storing nothing', async () => {
      const text = readDatasetText();
      expect(Buffer.byteLength(text)).toBeGreaterThan(2048);
      const response = await post(text);
      expect(response.statusCode).toBe(413);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'REQUEST.BODY_TOO_LARGE', maxBytes: 2048 });
      expect(await ledger.store.headPosition()).toBe(-1);

      expect((await post(ndjson(chicago()))).statusCode).toBe(200);
    });

    it('answers 413 over HTTP when a chunked body (no length) grows past the cap, storing nothing', async () => {
      await ledger.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = ledger.app.getHttpServer().address() as AddressInfo;
      // Valid lines first, so that only the cap can refuse the import.
      const lines = readDatasetText().split('\n').slice(0, 20).join('\n') + '\n';
      expect(Buffer.byteLength(lines)).toBeGreaterThan(4096);
      const { status, body } = await chunkedPost(port, '/v1/import', lines, 512);
      expect(status).toBe(413);
      expect(JSON.parse(body)).toMatchObject({ code: 'REQUEST.BODY_TOO_LARGE', maxBytes: 2048 });
      expect(await ledger.store.headPosition()).toBe(-1);
    });
  });

  it('refuses a body that is not NDJSON', async () => {
    const response = await post(JSON.stringify(chicago()), '', { 'content-type': 'text/plain' });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().code).toBe('REQUEST.UNSUPPORTED_MEDIA_TYPE');
    expect(await ledger.store.headPosition()).toBe(-1);
  });

  it('reads CRLF line endings and an exported line (with the server fields) back', async () => {
    const first = await post(ndjson(chicago()));
    expect(first.statusCode).toBe(200);
    const [stored] = await ledger.store.readStream('jurisdiction-chicago-il');

    const other = await startTestLedger({ background: false });
    try {
      const exported = JSON.stringify(stored) + '\r\n' + JSON.stringify(letter()) + '\r\n';
      const response = await other.inject({ method: 'POST', url: '/v1/import', headers: NDJSON, payload: exported });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ lines: 2, appended: 2 });
      const [copy] = await other.store.readStream('jurisdiction-chicago-il');
      expect(copy.eventId).toBe(stored.eventId);
      expect(copy.data).toEqual(stored.data);
    } finally {
      await other.dispose();
    }
  });
});

/** A POST with Transfer-Encoding: chunked (no Content-Length), written piece by piece. */
function chunkedPost(port: number, path: string, text: string, chunkSize: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/x-ndjson' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; at += chunkSize) req.write(bytes.subarray(at, at + chunkSize));
    req.end();
  });
}
