import type { AddressInfo } from 'node:net';
import { parseKey } from '../../apps/ledger-api/src/http/auth/api-keys';
import { startTestLedger, type TestLedger } from '../support/app';
import { waitFor } from '../support/events';
import { openSse, type SseStream } from './support/sse-client';

const ANALYST = 'ana-0123456789abcdef0123';
const RECORDER = 'rec-0123456789abcdef0123';
const ADMIN = 'adm-0123456789abcdef0123';
const BOTH = 'two-0123456789abcdef0123';
const keys = [parseKey(`ana:analyst:${ANALYST}`), parseKey(`rita:recorder:${RECORDER}`), parseKey(`adam:admin:${ADMIN}`), parseKey(`olga:analyst+admin:${BOTH}`)];

describe('GET /v1/live (server-sent events)', () => {
  let ledger: TestLedger;
  let base: string;
  const streams: SseStream[] = [];
  const open = async (query = '', headers: Record<string, string> = {}, token = ANALYST) => {
    const s = await openSse(`${base}/v1/live${query}`, { authorization: `Bearer ${token}`, ...headers });
    streams.push(s);
    return s;
  };
  const write = async (url: string, payload: object) => {
    const res = await ledger.inject({ method: 'POST', url, headers: { authorization: `Bearer ${RECORDER}` }, payload });
    expect(res.statusCode).toBe(201);
    return res.json() as { eventId: string; position: number; type: string };
  };
  const letter = (j: string, letterId: string) =>
    write(`/v1/jurisdictions/${j}/letters`, { letterId, from: 'organization:us-doj', subject: 'Records', demands: ['documents'], threats: [], occurredAt: '2018-01-24', source: { publication: 'Test' } });

  beforeAll(async () => {
    ledger = await startTestLedger({ apiKeys: keys });
    await ledger.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(ledger.app.getHttpServer().address() as AddressInfo).port}`;
    await write('/v1/jurisdictions', { id: 'chicago-il', name: 'City of Chicago', kind: 'city', state: 'IL' });
    await write('/v1/jurisdictions', { id: 'denver-co', name: 'Denver', kind: 'city-county', state: 'CO' });
  });
  afterAll(async () => {
    // Closing the app ends the open streams itself (or this would hang).
    expect(streams.some((s) => s.status === 200)).toBe(true);
    await ledger.dispose();
    for (const s of streams) s.close();
  });

  it('streams new appends from the head, each with its position as the event id', async () => {
    const s = await open();
    expect(s.status).toBe(200);
    expect(s.contentType).toMatch(/text\/event-stream/);
    const a = await letter('chicago-il', 'l-1');
    const b = await letter('denver-co', 'l-2');
    await waitFor(() => s.events.length >= 2, 10000, 'two events');
    expect(s.events.map((e) => e.id)).toEqual([String(a.position), String(b.position)]);
    expect(JSON.parse(s.events[0].data)).toMatchObject({ eventId: a.eventId, type: 'LetterSent', position: a.position, streamId: 'jurisdiction-chicago-il' });
  });

  it('filters like a webhook subscription', async () => {
    const s = await open('?eventTypes=LetterSent&jurisdictions=denver-co');
    await letter('chicago-il', 'l-3');
    await write('/v1/jurisdictions', { id: 'boston-ma', name: 'Boston', kind: 'city', state: 'MA' });
    const wanted = await letter('denver-co', 'l-4');
    const last = await letter('chicago-il', 'l-5');
    const all = await open(`?lastEventId=${wanted.position}`);
    await waitFor(() => all.events.some((e) => e.id === String(last.position)), 10000, 'the later event');
    await waitFor(() => s.events.length >= 1, 10000, 'the matching event');
    expect(s.events.map((e) => e.id)).toEqual([String(wanted.position)]);
  });

  it('resumes after Last-Event-ID with everything recorded meanwhile', async () => {
    const first = await open();
    const a = await letter('chicago-il', 'l-6');
    await waitFor(() => first.events.length >= 1, 10000, 'the first event');
    first.close();
    const missed = [await letter('chicago-il', 'l-7'), await letter('denver-co', 'l-8')];
    const again = await open('', { 'last-event-id': first.events[0].id! });
    await waitFor(() => again.events.length >= 2, 10000, 'the missed events');
    expect(again.events.slice(0, 2).map((e) => e.id)).toEqual(missed.map((m) => String(m.position)));
    expect(again.events.some((e) => e.id === String(a.position))).toBe(false);
  });

  it('leaves webhook bookkeeping out unless asked for, and only admins and auditors may ask', async () => {
    const s = await open('?lastEventId=-1');
    const created = await ledger.inject({ method: 'POST', url: '/v1/webhooks', headers: { authorization: `Bearer ${ADMIN}` }, payload: { url: 'http://93.184.215.14/hook' } });
    expect(created.statusCode).toBe(201);
    const after = await letter('chicago-il', 'l-9');
    await waitFor(() => s.events.some((e) => e.id === String(after.position)), 10000, 'the catch-up');
    expect(s.events.some((e) => JSON.parse(e.data).type.startsWith('Webhook'))).toBe(false);

    const refused = await open('?eventTypes=WebhookSubscribed');
    expect(refused.status).toBe(403);
    expect((await open('', {}, ADMIN)).status).toBe(403); // the stream itself is the analysts'
    const admin = await open('?eventTypes=WebhookSubscribed&lastEventId=-1', {}, BOTH);
    await waitFor(() => admin.events.length >= 1, 10000, 'the bookkeeping event');
    expect(JSON.parse(admin.events[0].data).type).toBe('WebhookSubscribed');
  });

  it.each([
    ['?eventTypes=LetterBurned', 'eventTypes.0'],
    ['?jurisdictions=Chicago', 'jurisdictions.0'],
    ['?actors=us-doj', 'actors.0'],
    ['?since=1', 'since'],
    ['?lastEventId=abc', 'Last-Event-ID'],
  ])('refuses %s with a problem', async (query, field) => {
    const s = await open(query);
    expect(s.status).toBe(400);
    expect(s.contentType).toMatch(/application\/problem\+json/);
    expect(JSON.parse(s.text!).errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('is for analysts', async () => {
    expect((await open('', {}, RECORDER)).status).toBe(403);
  });
});
