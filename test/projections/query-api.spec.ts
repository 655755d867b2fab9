import { ManualClock, READ_MODEL_DB, type ReadModelDb } from '@ledger/platform';
import { startTestLedger, type TestLedger } from '../support/app';
import { holdTransaction, within } from '../support/held-transaction';
import { createTestReadModel, READ_MODEL_KINDS, type TestReadModel } from './support/read-models';

const SOURCE = { publication: 'TheBlaze', url: 'https://www.theblaze.com/news/2018/01/24/doj' };

describe.each(READ_MODEL_KINDS)('the query API over %s read models', (kind) => {
  let ledger: TestLedger;
  let model: TestReadModel | undefined;
  const clock = new ManualClock(new Date('2018-01-24T18:00:00Z'));

  const post = async (url: string, payload: object) => {
    const res = await ledger.inject({ method: 'POST', url, payload });
    if (res.statusCode !== 201) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    return res.json() as { position: number; eventId: string };
  };
  const get = (url: string) => ledger.inject({ method: 'GET', url });
  const register = (id: string, name: string, state = 'IL') => post('/v1/jurisdictions', { id, name, kind: 'city', state });

  beforeAll(async () => {
    model = kind === 'postgres' ? await createTestReadModel('postgres') : undefined;
    ledger = await startTestLedger({
      clock,
      env: { LEDGER_MIN_POSITION_WAIT_MS: '300' },
      config: model ? { readModel: 'postgres', databaseUrl: model.url } : {},
    });
  });

  afterAll(async () => {
    await ledger.dispose();
    await model?.drop();
  });

  test('100 write→read pairs with minPosition always see the write', async () => {
    for (let i = 0; i < 100; i++) {
      const id = `rw-${i}`;
      const write = i % 2 === 0 ? await register(id, `Read Write ${i}`) : await post(`/v1/jurisdictions/rw-${i - 1}/letters`, {
        letterId: `l-${i}`, from: 'organization:us-doj', subject: 's', demands: ['d'], threats: ['subpoena'], occurredAt: '2018-01-24', source: SOURCE,
      });
      const target = i % 2 === 0 ? id : `rw-${i - 1}`;
      const res = await get(`/v1/jurisdictions/${target}?minPosition=${write.position}`);
      expect(res.statusCode).toBe(200);
      expect(Number(res.headers['x-projection-position'])).toBeGreaterThanOrEqual(write.position);
      expect(res.json().lettersReceived).toBe(i % 2 === 0 ? 0 : 1);
    }
  });

  test('every query answer carries the projection position', async () => {
    for (const url of ['/v1/jurisdictions', '/v1/officials', '/v1/stats', '/v1/jurisdictions/rw-0']) {
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      expect(Number(res.headers['x-projection-position'])).toBeGreaterThan(0);
    }
  });

  test('a projection that cannot reach minPosition in time answers 503 with Retry-After', async () => {
    const res = await get('/v1/jurisdictions?minPosition=99999999');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'PROJECTION.BEHIND', minPosition: 99999999 });
  });

  test.each([
    ['/v1/jurisdictions?color=red', 'color'],
    ['/v1/jurisdictions?sort=population', 'sort'],
    ['/v1/jurisdictions?cursor=not-a-cursor!', 'cursor'],
    ['/v1/jurisdictions?cursor=eyJzIjoiaWQiLCJ2IjoiYSIsImkiOiJhIn0', 'cursor'],
    ['/v1/jurisdictions?limit=501', 'limit'],
    ['/v1/jurisdictions?limit=0', 'limit'],
    ['/v1/jurisdictions?minPosition=soon', 'minPosition'],
    ['/v1/jurisdictions?status=angry', 'status'],
    ['/v1/jurisdictions?threatened=prosecution', 'threatened'],
    ['/v1/jurisdictions?state=Illinois', 'state'],
    ['/v1/jurisdictions?state=IL&state=CA', 'state'],
    ['/v1/officials?party=whig', 'party'],
    ['/v1/officials?boycotted=Not%20A%20Slug', 'boycotted'],
    ['/v1/jurisdictions/rw-0?asOf=yesterday', 'asOf'],
    ['/v1/jurisdictions/rw-0?minPosition=1.5', 'minPosition'],
    ['/v1/stats?sort=name', 'sort'],
    ['/v1/jurisdictions/Not_A_Slug', 'id'],
  ])('bad input %s → 400 naming %s', async (url, field) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  test.each(['/v1/jurisdictions/nowhere', '/v1/officials/nobody', '/v1/organizations/none', '/v1/meetings/never', '/v1/jurisdictions/nowhere?asOf=2018-01-01'])(
    'unknown id %s → 404',
    async (url) => {
      const res = await get(url);
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('application/problem+json');
    },
  );

  test('cursor pages stay stable while appends continue', async () => {
    const initial: string[] = [];
    for (let i = 0; i < 30; i++) {
      const id = `page-${String(i).padStart(2, '0')}`;
      initial.push(id);
      await register(id, `Paged Town ${String(i).padStart(2, '0')}`, 'WI');
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let extra = 0;
    let last = 0;
    do {
      const url: string = `/v1/jurisdictions?state=WI&limit=7&minPosition=${last}${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await get(url);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: { id: string }[]; nextCursor: string | null };
      seen.push(...body.items.map((j) => j.id));
      cursor = body.nextCursor;
      // Appends between pages: new towns sorting before and after the cursor, letters changing rows.
      last = (await register(`page-new-${extra}`, `${extra % 2 ? 'Aaa' : 'Zzz'} New Town ${extra}`, 'WI')).position;
      last = (await post(`/v1/jurisdictions/page-${String(extra).padStart(2, '0')}/letters`, {
        letterId: 'x', from: 'organization:us-doj', subject: 's', demands: ['d'], threats: [], occurredAt: '2018-01-24', source: SOURCE,
      })).position;
      extra++;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of initial) expect(seen).toContain(id);
  });

  test('point in time: asOf before the letter, knownAt before the correction', async () => {
    await register('pit', 'Pointe In Time');
    clock.set('2018-02-01T00:00:00Z');
    const letter = await post('/v1/jurisdictions/pit/letters', {
      letterId: 'l', from: 'organization:us-doj', subject: 's', demands: ['d'], threats: ['funding-cut'], occurredAt: '2018-01-30', source: SOURCE,
    });
    clock.set('2018-03-01T00:00:00Z');
    const registration = (await (await get('/v1/streams/jurisdiction-pit')).json()).events[0];
    const fix = await post(`/v1/events/${registration.eventId}/corrections`, {
      changes: [{ path: 'data.name', from: 'Pointe In Time', to: 'Point In Time' }], reason: 'spelling',
    });
    const now = (await get(`/v1/jurisdictions/pit?minPosition=${fix.position}`)).json();
    expect(now).toMatchObject({ name: 'Point In Time', corrected: true, lettersReceived: 1, status: 'awaiting-response' });
    const before = (await get(`/v1/jurisdictions/pit?asOf=2018-01-29&minPosition=${fix.position}`)).json();
    expect(before).toMatchObject({ name: 'Point In Time', lettersReceived: 0, status: 'no-letter' });
    const known = (await get(`/v1/jurisdictions/pit?knownAt=2018-02-15&minPosition=${letter.position}`)).json();
    expect(known).toMatchObject({ name: 'Pointe In Time', corrected: false, lettersReceived: 1 });
    const { statementCount: _n, ...stored } = now;
    expect((await get('/v1/jurisdictions/pit?knownAt=2030-01-01')).json()).toEqual(stored);
  });

  test('health reports projection lag; metrics expose it and the process', async () => {
    const health = (await get('/health')).json();
    // The watcher holds the streams with a deadline open: none so far (see the next test).
    expect(health.projections).toMatchObject({ ready: true, lagEvents: 0, leader: true, deadlineWatcher: { loaded: true, heldStreams: 0, openDeadlineStreams: 0 } });
    expect(health.auditCheckpointer).toMatchObject({ running: true }); // embedded: this process runs it
    const metrics = await get('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/ledger_projection_lag_events\{projection="jurisdictions"\} 0/);
    expect(metrics.body).toMatch(/ledger_projection_lag_seconds\{projection="timeline"\} 0/);
    // The process's own figures (prom-client's defaults).
    expect(Number(/^process_resident_memory_bytes (\d+)$/m.exec(metrics.body)?.[1])).toBeGreaterThan(0);
    expect(metrics.body).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
  });

  test('health shows the deadline watcher holding a stream once a deadline is set on it', async () => {
    await register('watched', 'Watched Town');
    await post('/v1/jurisdictions/watched/letters', { letterId: 'l', from: 'organization:us-doj', subject: 's', demands: ['d'], threats: [], occurredAt: '2018-01-24', source: SOURCE });
    await post('/v1/jurisdictions/watched/deadlines', { deadlineId: 'd-1', letterId: 'l', dueAt: '2099-02-23', requirement: 'Produce the documents', occurredAt: '2018-01-24', source: SOURCE });
    let watcher = (await get('/health')).json().projections.deadlineWatcher;
    for (let i = 0; i < 100 && watcher.heldStreams === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      watcher = (await get('/health')).json().projections.deadlineWatcher;
    }
    expect(watcher).toEqual({ loaded: true, heldStreams: 1, openDeadlineStreams: 1 });
  });

  test('views are served while a write transaction on the read model is held open (a projector batch, a rebuild flush)', async () => {
    const { position } = await register('held-open', 'Held Open');
    await get(`/v1/jurisdictions?minPosition=${position}`);
    const held = await holdTransaction(ledger.app.get<ReadModelDb>(READ_MODEL_DB), `update proj_checkpoints set position = position where name = 'jurisdictions'`);
    try {
      // Never read before, so that no cached copy can answer: the rows must come from the database.
      const answer = await within(3000, get('/v1/jurisdictions/held-open'));
      expect(answer === 'waited' ? answer : answer.json()).toMatchObject({ id: 'held-open', name: 'Held Open' });
    } finally {
      await held.release();
    }
  });

  test('an admin rebuild request is carried out by the projector, and the views survive it', async () => {
    const before = (await get('/v1/jurisdictions/pit')).json();
    const res = await ledger.inject({ method: 'POST', url: '/v1/admin/projections/jurisdictions/rebuild' });
    expect(res.statusCode).toBe(202);
    expect((await ledger.inject({ method: 'POST', url: '/v1/admin/projections/nothing/rebuild' })).statusCode).toBe(404);
    const deadline = Date.now() + 20_000;
    let status: { name: string; rebuilding: unknown; rebuildRequested: boolean }[] = [];
    do {
      await new Promise((r) => setTimeout(r, 100));
      status = (await get('/v1/admin/projections')).json().items;
    } while (status.some((s) => s.rebuilding || s.rebuildRequested) && Date.now() < deadline);
    expect(status.find((s) => s.name === 'jurisdictions')).toMatchObject({ rebuilding: null, rebuildRequested: false });
    expect((await get('/v1/jurisdictions/pit')).json()).toEqual(before);
  });
});
