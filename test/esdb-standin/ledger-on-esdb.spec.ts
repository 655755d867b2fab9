import { randomUUID } from 'node:crypto';
import { computeEventHash, GENESIS_HASH, type EventEnvelope } from '@ledger/domain';
import { readDatasetLines, readDatasetText } from '@ledger/datasets';
import { startTestLedger, type TestLedger } from '../support/app';
import { EsdbStandIn } from './standin-server';

/**
 * The whole ledger with LEDGER_STORE=esdb, over HTTP (Fastify inject), against the
 * stand-in: the app opens the store through createEventStore, exactly as in production.
 * Two app instances on one server play two api replicas.
 */
// Every request is several gRPC round trips to an in-process server; on a busy 2-core machine
// an import of the dataset takes seconds. A bound, not a timing assertion.
jest.setTimeout(120_000);

const SOURCE = { publication: 'TheBlaze', url: 'https://www.theblaze.com/news/2018/01/24/doj-demands' };

describe('the ledger on EventStoreDB (stand-in)', () => {
  let standIn: EsdbStandIn;
  let replicas: TestLedger[];

  beforeEach(async () => {
    standIn = await new EsdbStandIn({ batchAppend: true }).start();
    const config = { store: 'esdb' as const, eventstoreConnectionString: standIn.connectionString };
    replicas = [await startTestLedger({ config, background: false }), await startTestLedger({ config, background: false })];
  });
  afterEach(async () => {
    for (const r of replicas) await r.dispose();
    await standIn.stop();
  });

  const post = async (ledger: TestLedger, url: string, payload: object, expected = 201, headers: Record<string, string> = {}) => {
    const res = await ledger.inject({ method: 'POST', url, payload, headers });
    if (res.statusCode !== expected) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };

  it('records through one replica and reads through the other, with the hash chain intact', async () => {
    const [a, b] = replicas;
    expect(a.store.capabilities.name).toBe('esdb');
    await post(a, '/v1/organizations', { id: 'us-doj', name: 'U.S. Department of Justice', level: 'federal' });
    await post(b, '/v1/jurisdictions', { id: 'chicago-il', name: 'City of Chicago', kind: 'city', state: 'IL' });
    const action = { occurredAt: '2018-01-24', source: SOURCE };
    const eventId = randomUUID();
    const letter = await post(a, '/v1/jurisdictions/chicago-il/letters', {
      eventId, letterId: 'doj-2018-01-24', from: 'organization:us-doj', subject: 'Records', demands: ['All documents'], threats: ['subpoena'], ...action,
    });
    // The same request again, through the other replica: the original answer, nothing stored.
    const repeat = await post(b, '/v1/jurisdictions/chicago-il/letters', {
      eventId, letterId: 'doj-2018-01-24', from: 'organization:us-doj', subject: 'Records', demands: ['All documents'], threats: ['subpoena'], ...action,
    }, 200);
    expect(repeat).toMatchObject({ eventId, revision: letter.revision, position: letter.position, hash: letter.hash });
    const stale = await b.inject({
      method: 'POST', url: '/v1/jurisdictions/chicago-il/deadlines', headers: { 'if-match': '"0"' },
      payload: { deadlineId: 'd1', letterId: 'doj-2018-01-24', dueAt: '2018-02-23', requirement: 'Produce', ...action },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: 'STREAM.REVISION_CONFLICT', actualRevision: 1 });

    const stream = (await b.inject({ method: 'GET', url: '/v1/streams/jurisdiction-chicago-il' })).json() as { events: EventEnvelope[] };
    expect(stream.events.map((e) => e.type)).toEqual(['JurisdictionRegistered', 'LetterSent']);
    stream.events.forEach((e, i) => {
      const { hash, position: _p, ...rest } = e;
      expect(hash).toBe(computeEventHash(rest));
      expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : stream.events[i - 1].hash);
    });
    expect((await a.inject({ method: 'GET', url: `/v1/events/${eventId}` })).json()).toMatchObject({ eventId, position: letter.position });
  });

  it('imports the dataset through appendMany, and a re-import adds nothing', async () => {
    const [a, b] = replicas;
    const headers = { 'content-type': 'application/x-ndjson' };
    const count = readDatasetLines().length;
    const before = await a.store.headPosition();
    const first = await a.inject({ method: 'POST', url: '/v1/import', headers, payload: readDatasetText() });
    expect([first.statusCode, first.statusCode === 200 ? '' : first.body]).toEqual([200, '']);
    expect(first.json()).toMatchObject({ lines: count, appended: count, rejected: 0 });
    expect(first.json().lastPosition).toBe(await b.store.headPosition());
    expect((await b.store.readAll({ after: before })).length).toBe(count);
    const again = await b.inject({ method: 'POST', url: '/v1/import', headers, payload: readDatasetText() });
    expect(again.json()).toMatchObject({ appended: 0, skipped: count });
  });

  it('reports the store in /health and verifies the whole log', async () => {
    const imported = await replicas[0].inject({
      method: 'POST', url: '/v1/import', headers: { 'content-type': 'application/x-ndjson' }, payload: readDatasetText(),
    });
    expect(imported.statusCode).toBe(200);
    const health = (await replicas[1].inject({ method: 'GET', url: '/health' })).json();
    expect(health).toMatchObject({ store: { kind: 'esdb' } });
    const verify = (await replicas[0].inject({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(verify).toMatchObject({ ok: true, firstBroken: null });
    expect(verify.eventsChecked).toBe(readDatasetLines().length);
  });
});
