import { Webhook } from 'standardwebhooks';
import { startTestLedger, type TestLedger } from '../support/app';
import { waitFor } from '../support/events';
import { parseKey } from '../../apps/ledger-api/src/http/auth/api-keys';
import { Receiver } from './support/receiver';

const ADMIN = 'adm-0123456789abcdef0123';
const ANALYST = 'ana-0123456789abcdef0123';
const keys = [parseKey(`adam-admin:admin:${ADMIN}`), parseKey(`ana-analyst:analyst:${ANALYST}`), parseKey(`rita:recorder:rec-0123456789abcdef0123`)];
const as = (token: string) => ({ authorization: `Bearer ${token}` });

describe('/v1/webhooks', () => {
  let ledger: TestLedger;
  let rx: Receiver;

  beforeAll(async () => {
    rx = await Receiver.start();
    ledger = await startTestLedger({
      apiKeys: keys,
      env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${rx.port}`, LEDGER_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms', LEDGER_WEBHOOK_POLL_INTERVAL: '100ms' },
    });
  });
  afterAll(async () => {
    await ledger.dispose();
    await rx.close();
  });

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, token = ADMIN) =>
    ledger.inject({ method, url, headers: as(token), ...(payload ? { payload } : {}) });

  it('subscribes, shows the secret once, records who did it, and delivers signed events', async () => {
    const created = await api('POST', '/v1/webhooks', { url: rx.url, eventTypes: ['JurisdictionRegistered'], description: 'city desk' });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body.secret).toMatch(/^whsec_/);
    expect(created.headers.location).toBe(`/v1/webhooks/${body.id}`);
    expect(body).toMatchObject({ url: rx.url, eventTypes: ['JurisdictionRegistered'], jurisdictions: [], actors: [], description: 'city desk', enabled: true, createdBy: 'adam-admin' });

    const one = await api('GET', `/v1/webhooks/${body.id}`);
    expect(one.statusCode).toBe(200);
    expect(one.body).not.toContain(body.secret);
    expect(one.json()).not.toHaveProperty('secret');
    const list = await api('GET', '/v1/webhooks');
    expect(list.json().items.map((w: { id: string }) => w.id)).toContain(body.id);
    expect(list.body).not.toContain(body.secret.slice(6));

    const stream = await ledger.store.readStream(`webhook-${body.id}`);
    expect(stream).toHaveLength(1);
    expect(stream[0]).toMatchObject({ type: 'WebhookSubscribed', metadata: { recordedBy: 'adam-admin' } });
    expect(JSON.stringify(stream)).not.toContain(body.secret.slice(6));

    const registered = await ledger.inject({
      method: 'POST',
      url: '/v1/jurisdictions',
      headers: as('rec-0123456789abcdef0123'),
      payload: { id: 'chicago-il', name: 'City of Chicago', kind: 'city', state: 'IL' },
    });
    await waitFor(() => rx.requests.find((r) => r.json.data.eventId === registered.json().eventId), 15000, 'the delivery');
    const got = rx.requests.find((r) => r.json.data.eventId === registered.json().eventId)!;
    const payload = new Webhook(body.secret).verify(got.body, got.headers as Record<string, string>) as { type: string; data: { position: number } };
    expect(payload.type).toBe('JurisdictionRegistered');
    expect(payload.data.position).toBe(registered.json().position);

    const deliveries = await waitFor(async () => {
      const res = await api('GET', `/v1/webhooks/${body.id}/deliveries?status=delivered`);
      return res.json().items.length > 0 && res;
    });
    expect(deliveries.json().items[0]).toMatchObject({ outcome: 'delivered', statusCode: 204, eventType: 'JurisdictionRegistered', attempt: 1 });
    expect(typeof deliveries.json().items[0].latencyMs).toBe('number');
  });

  it('changes filters and switches deliveries off and on, recording each change', async () => {
    const { id } = (await api('POST', '/v1/webhooks', { url: rx.url })).json();
    const patched = await api('PATCH', `/v1/webhooks/${id}`, { jurisdictions: ['chicago-il'], enabled: false });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ jurisdictions: ['chicago-il'], enabled: false, disabledReason: 'disabled by adam-admin', updatedBy: 'adam-admin' });
    const on = await api('PATCH', `/v1/webhooks/${id}`, { enabled: true });
    expect(on.json()).toMatchObject({ enabled: true, disabledReason: null });
    const stream = await ledger.store.readStream(`webhook-${id}`);
    expect(stream.map((e) => e.type)).toEqual(['WebhookSubscribed', 'WebhookUpdated', 'WebhookUpdated']);
    expect(stream[1].data).toEqual({ jurisdictions: ['chicago-il'], enabled: false });
  });

  it('rotates the secret: the new one is shown once and the rotation is recorded without it', async () => {
    const { id, secret } = (await api('POST', '/v1/webhooks', { url: rx.url })).json();
    const rotated = await api('POST', `/v1/webhooks/${id}/rotate-secret`, { overlapSeconds: 60 });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(secret);
    expect(Date.parse(rotated.json().previousSecretsExpireAt)).toBeGreaterThan(Date.now());
    const stream = await ledger.store.readStream(`webhook-${id}`);
    expect(stream[1]).toMatchObject({ type: 'WebhookSecretRotated', data: { overlapSeconds: 60 } });
    expect(JSON.stringify(stream)).not.toContain(rotated.json().secret.slice(6));
  });

  it('deletes: the subscription is gone (404) and the deletion recorded', async () => {
    const { id } = (await api('POST', '/v1/webhooks', { url: rx.url })).json();
    expect((await api('DELETE', `/v1/webhooks/${id}`)).statusCode).toBe(204);
    for (const [method, url] of [
      ['GET', `/v1/webhooks/${id}`],
      ['PATCH', `/v1/webhooks/${id}`],
      ['DELETE', `/v1/webhooks/${id}`],
      ['GET', `/v1/webhooks/${id}/deliveries`],
    ] as const) {
      const res = await api(method, url, method === 'PATCH' ? { enabled: true } : undefined);
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe('WEBHOOK.NOT_FOUND');
    }
    expect((await ledger.store.readStream(`webhook-${id}`)).map((e) => e.type)).toEqual(['WebhookSubscribed', 'WebhookDeleted']);
  });

  it('replays from a position', async () => {
    const { id } = (await api('POST', '/v1/webhooks', { url: rx.url, jurisdictions: ['denver-co'] })).json();
    const denver = await ledger.inject({
      method: 'POST',
      url: '/v1/jurisdictions',
      headers: as('rec-0123456789abcdef0123'),
      payload: { id: 'denver-co', name: 'Denver', kind: 'city-county', state: 'CO' },
    });
    const eventId = denver.json().eventId;
    await waitFor(async () => (await api('GET', `/v1/webhooks/${id}`)).json().messages.delivered === 1, 15000, 'the first delivery');
    const replay = await api('POST', `/v1/webhooks/${id}/replay`, { fromPosition: denver.json().position });
    expect(replay.statusCode).toBe(202);
    expect(replay.json()).toMatchObject({ queued: 1, fromPosition: denver.json().position });
    await waitFor(() => rx.requests.filter((r) => r.json.data.eventId === eventId).length >= 2, 15000, 'the replayed delivery');
    await waitFor(async () => (await api('GET', `/v1/webhooks/${id}/deliveries`)).json().items.length === 2, 15000, 'both attempts logged');
    const deliveries = (await api('GET', `/v1/webhooks/${id}/deliveries?limit=1`)).json();
    expect(deliveries.items).toHaveLength(1);
    expect(deliveries.nextCursor).toEqual(expect.any(String));
    const next = (await api('GET', `/v1/webhooks/${id}/deliveries?limit=1&cursor=${deliveries.nextCursor}`)).json();
    expect(next.items[0].id).toBeLessThan(deliveries.items[0].id);
  });

  it('is documented in the OpenAPI document, bodies included', async () => {
    const doc = (await ledger.inject({ method: 'GET', url: '/docs/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/v1/webhooks', '/v1/webhooks/{id}', '/v1/webhooks/{id}/deliveries', '/v1/webhooks/{id}/replay', '/v1/live']));
    expect(doc.components.schemas.CreateWebhookBody.properties).toHaveProperty('url');
    expect(doc.components.schemas.CreateWebhookBody.properties).toHaveProperty('eventTypes');
  });

  it('is for admins only', async () => {
    expect((await api('GET', '/v1/webhooks', undefined, ANALYST)).statusCode).toBe(403);
    expect((await ledger.inject({ method: 'GET', url: '/v1/webhooks' })).statusCode).toBe(401);
  });

  describe('bad input: 400/404 problem+json, nothing stored', () => {
    const cases: [string, 'POST' | 'PATCH', string, object, number, string, string][] = [
      ['an invalid URL', 'POST', '', { url: 'not a url' }, 400, 'WEBHOOK.URL_REFUSED', 'url'],
      ['a non-http scheme', 'POST', '', { url: 'ftp://93.184.215.14/x' }, 400, 'WEBHOOK.URL_REFUSED', 'url'],
      ['a loopback URL not allowed', 'POST', '', { url: 'http://127.0.0.1:1/hook' }, 400, 'WEBHOOK.URL_REFUSED', 'url'],
      ['the metadata address', 'POST', '', { url: 'http://169.254.169.254/latest/meta-data' }, 400, 'WEBHOOK.URL_REFUSED', 'url'],
      ['a missing URL', 'POST', '', { eventTypes: ['LetterSent'] }, 400, 'REQUEST.INVALID', 'url'],
      ['an unknown event type', 'POST', '', { url: 'http://93.184.215.14/', eventTypes: ['LetterSent', 'LetterBurned'] }, 400, 'REQUEST.INVALID', 'eventTypes'],
      ['a bad jurisdiction id', 'POST', '', { url: 'http://93.184.215.14/', jurisdictions: ['Chicago IL'] }, 400, 'REQUEST.INVALID', 'jurisdictions'],
      ['a bad actor', 'POST', '', { url: 'http://93.184.215.14/', actors: ['us-doj'] }, 400, 'REQUEST.INVALID', 'actors'],
      ['an oversized description', 'POST', '', { url: 'http://93.184.215.14/', description: 'x'.repeat(1001) }, 400, 'REQUEST.INVALID', 'description'],
      ['an unknown field', 'POST', '', { url: 'http://93.184.215.14/', secret: 'whsec_mine' }, 400, 'REQUEST.INVALID', 'secret'],
      ['a refused URL on change', 'PATCH', ':id', { url: 'http://[::1]/' }, 400, 'WEBHOOK.URL_REFUSED', 'url'],
      ['an unknown type on change', 'PATCH', ':id', { eventTypes: ['Nope'] }, 400, 'REQUEST.INVALID', 'eventTypes'],
      ['an empty change', 'PATCH', ':id', {}, 400, 'REQUEST.INVALID', '(body)'],
    ];
    let existing: string;
    beforeAll(async () => {
      existing = (await api('POST', '/v1/webhooks', { url: rx.url })).json().id;
    });

    it.each(cases)('%s', async (_name, method, path, payload, status, code, field) => {
      const head = await ledger.store.headPosition();
      const before = (await api('GET', '/v1/webhooks?limit=100')).json().items.length;
      const res = await api(method, `/v1/webhooks${path ? `/${existing}` : ''}`, payload);
      expect(res.statusCode).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().code).toBe(code);
      expect(res.json().errors.map((e: { field: string }) => e.field.split('.')[0])).toContain(field);
      expect(await ledger.store.headPosition()).toBe(head);
      expect((await api('GET', '/v1/webhooks?limit=100')).json().items.length).toBe(before);
    });

    it('an unknown subscription id is 404; a malformed one 400', async () => {
      const unknown = await api('GET', '/v1/webhooks/7d9f4a3e-1b2c-4d5e-8f90-123456789abc');
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json().code).toBe('WEBHOOK.NOT_FOUND');
      expect((await api('POST', '/v1/webhooks/7d9f4a3e-1b2c-4d5e-8f90-123456789abc/replay', { fromPosition: 1 })).statusCode).toBe(404);
      expect((await api('GET', '/v1/webhooks/not-an-id')).statusCode).toBe(400);
    });

    it.each([
      [{}, 'fromPosition'],
      [{ fromPosition: 1, from: '2018-01-24T00:00:00Z' }, 'fromPosition'],
      [{ fromPosition: -1 }, 'fromPosition'],
      [{ from: 'yesterday' }, 'from'],
    ])('refuses the replay %j', async (payload, field) => {
      const res = await api('POST', `/v1/webhooks/${existing}/replay`, payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('refuses bad delivery queries', async () => {
      expect((await api('GET', `/v1/webhooks/${existing}/deliveries?status=lost`)).statusCode).toBe(400);
      expect((await api('GET', `/v1/webhooks/${existing}/deliveries?limit=0`)).statusCode).toBe(400);
      expect((await api('GET', `/v1/webhooks/${existing}/deliveries?cursor=%%%`)).statusCode).toBe(400);
      expect((await api('GET', `/v1/webhooks/${existing}/deliveries?colour=red`)).statusCode).toBe(400);
    });
  });
});

describe('/v1/webhooks with the default settings', () => {
  it('refuses a loopback receiver when no allow-list is set', async () => {
    const ledger = await startTestLedger({ env: {} });
    try {
      const res = await ledger.inject({ method: 'POST', url: '/v1/webhooks', payload: { url: 'http://127.0.0.1:8080/hook' } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'WEBHOOK.URL_REFUSED', errors: [{ field: 'url', reasons: ['127.0.0.1 is a loopback address'] }] });
      const named = await ledger.inject({ method: 'POST', url: '/v1/webhooks', payload: { url: 'http://localhost:8080/hook' } });
      expect(named.json().code).toBe('WEBHOOK.URL_REFUSED');
    } finally {
      await ledger.dispose();
    }
  });
});
