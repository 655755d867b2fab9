import { streamIdFor } from '@ledger/domain';
import { Webhook } from 'standardwebhooks';
import { waitFor } from '../support/events';
import { Receiver, type Received } from './support/receiver';
import { WebhookHarness } from './support/webhook-harness';

/** What a real receiver does: check the signature with the Standard Webhooks library. */
function verify(secret: string, r: Received): unknown {
  return new Webhook(secret).verify(r.body, r.headers as Record<string, string>);
}

describe('webhook delivery (SQLite read model)', () => {
  let h: WebhookHarness;
  const receivers: Receiver[] = [];
  const receiver = async (...args: Parameters<typeof Receiver.start>) => {
    const r = await Receiver.start(...args);
    receivers.push(r);
    return r;
  };

  beforeEach(async () => {
    h = await WebhookHarness.open('sqlite');
  });
  afterEach(async () => {
    await h.close();
    for (const r of receivers.splice(0)) await r.close();
  });

  it('retries a receiver that fails three times, then delivers; the log shows every attempt under one webhook-id', async () => {
    const rx = await receiver((_r, n, res) => void res.writeHead(n < 3 ? 500 : 200).end(n < 3 ? 'boom' : 'ok'));
    const rt = await h.runtime({}, { env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${rx.port}` } });
    const sub = await rt.admin.create({ url: rx.url }, { name: 'alice' });
    const event = await h.register('chicago-il');

    await waitFor(() => rx.requests.length === 4 && rx.requests, 15000, 'four attempts');
    const log = await waitFor(async () => {
      const page = await rt.admin.deliveries(sub.id, {});
      return page.items.length === 4 && page.items;
    });
    expect(log.map((a) => a.outcome).reverse()).toEqual(['failed', 'failed', 'failed', 'delivered']);
    expect(log.map((a) => a.statusCode).reverse()).toEqual([500, 500, 500, 200]);
    expect(log.map((a) => a.attempt).reverse()).toEqual([1, 2, 3, 4]);
    expect(log.every((a) => a.eventId === event.eventId && typeof a.latencyMs === 'number' && a.at)).toBe(true);
    expect(log[3].error).toBe('HTTP 500');

    const ids = new Set(rx.requests.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    for (const r of rx.requests) {
      const payload = verify(sub.secret, r) as { type: string; data: { eventId: string; position: number } };
      expect(payload.type).toBe('JurisdictionRegistered');
      expect(payload.data.eventId).toBe(event.eventId);
      expect(payload.data.position).toBe(event.position);
    }
    expect((await rt.admin.get(sub.id)).messages).toMatchObject({ delivered: 1, pending: 0 });
  });

  it('sends first attempts in position order, and only what the filters ask for', async () => {
    const rx = await receiver();
    const rx2 = await receiver();
    const rt = await h.runtime({}, { env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${rx.port},127.0.0.1:${rx2.port}` } });
    const all = await rt.admin.create({ url: rx.url }, { name: 'alice' });
    await rt.admin.create({ url: rx2.url, eventTypes: ['LetterSent'], jurisdictions: ['chicago-il'] }, { name: 'alice' });

    const positions: number[] = [];
    for (const id of ['chicago-il', 'cook-county-il', 'denver-co']) positions.push((await h.register(id)).position);
    for (let i = 0; i < 5; i++) positions.push((await h.letter('chicago-il')).position);
    const other = await h.letter('denver-co');
    positions.push(other.position);

    await waitFor(() => rx.requests.length >= positions.length, 15000, 'all events');
    expect(rx.requests.map((r) => r.json.data.position)).toEqual(positions);
    await waitFor(() => rx2.requests.length >= 5, 15000, 'the filtered events');
    expect(rx2.requests.every((r) => r.json.type === 'LetterSent' && r.json.data.eventId && r.body.includes('jurisdiction-chicago-il'))).toBe(true);
    // The subscription's own bookkeeping (WebhookSubscribed of the second) was not sent to the first.
    expect(rx.requests.some((r) => r.json.type.startsWith('Webhook'))).toBe(false);
    expect(all.eventTypes).toEqual([]);
  });

  it('dead-letters a message once the schedule is used up, and a replay sends it again', async () => {
    const rx = await receiver((_r, _n, res) => void res.writeHead(500).end());
    const rt = await h.runtime({}, { env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${rx.port}`, LEDGER_WEBHOOK_RETRY_SCHEDULE: '50ms,50ms' } });
    const sub = await rt.admin.create({ url: rx.url }, { name: 'alice' });
    const event = await h.register('chicago-il');
    const dead = await waitFor(async () => (await rt.admin.deliveries(sub.id, { status: 'dead' })).items[0], 15000, 'a dead letter');
    expect(dead).toMatchObject({ eventId: event.eventId, attempt: 3, statusCode: 500 });
    expect((await rt.admin.deliveries(sub.id, { status: 'failed' })).items).toHaveLength(2);
    expect((await rt.admin.get(sub.id)).messages).toMatchObject({ dead: 1, pending: 0 });

    rx.setBehaviour((_r, _n, res) => void res.writeHead(200).end());
    const replay = await rt.admin.replay(sub.id, { fromPosition: event.position });
    expect(replay).toMatchObject({ queued: 1, fromPosition: event.position, toPosition: event.position, nextFromPosition: null });
    await waitFor(async () => (await rt.admin.get(sub.id)).messages?.delivered === 1, 15000, 'the replayed delivery');
    expect(new Set(rx.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
  });

  it('switches the endpoint off on 410 Gone (recorded in the ledger) and delivers what was owed once re-enabled', async () => {
    const rx = await receiver((_r, _n, res) => void res.writeHead(410).end());
    const rt = await h.runtime({}, { env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${rx.port}` } });
    const sub = await rt.admin.create({ url: rx.url }, { name: 'alice' });
    const event = await h.register('chicago-il');
    const off = await waitFor(async () => {
      const view = await rt.admin.get(sub.id);
      return !view.enabled && view;
    }, 15000, 'the endpoint to be disabled');
    expect(off.disabledReason).toMatch(/410/);
    const stream = await h.store.readStream(streamIdFor('webhook', sub.id));
    expect(stream.map((e) => e.type)).toEqual(['WebhookSubscribed', 'WebhookUpdated']);
    expect(stream[1].data).toMatchObject({ enabled: false });
    expect(stream[1].metadata.recordedBy).toBe('system');
    expect((await rt.admin.deliveries(sub.id, {})).items[0]).toMatchObject({ outcome: 'disabled', statusCode: 410 });

    const owed = await h.register('denver-co'); // recorded while off: owed, not lost
    rx.setBehaviour((_r, _n, res) => void res.writeHead(204).end());
    await rt.admin.update(sub.id, { enabled: true }, { name: 'alice' });
    await waitFor(() => rx.requests.length >= 3, 15000, 'the owed events');
    expect(rx.requests.map((r) => r.json.data.eventId)).toEqual([event.eventId, event.eventId, owed.eventId]);
    expect((await rt.admin.get(sub.id)).enabled).toBe(true);
  });

  it('honours Retry-After on 429 and 503', async () => {
    const rx = await receiver((_r, n, res) => {
      if (n === 0) res.writeHead(429, { 'retry-after': '1' }).end();
      else if (n === 1) res.writeHead(503, { 'retry-after': new Date(Date.now() + 500).toUTCString() }).end();
      else res.writeHead(200).end();
    });
    // The schedule alone would wait ten hours: only Retry-After can bring the next attempt.
    const rt = await h.runtime({}, { env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${rx.port}`, LEDGER_WEBHOOK_RETRY_SCHEDULE: '10h,10h' } });
    const sub = await rt.admin.create({ url: rx.url }, { name: 'alice' });
    await h.register('chicago-il');
    await waitFor(async () => (await rt.admin.get(sub.id)).messages?.delivered === 1, 20000, 'delivery after Retry-After');
    const codes = (await rt.admin.deliveries(sub.id, {})).items.map((a) => a.statusCode).reverse();
    expect(codes).toEqual([429, 503, 200]);
  });

  it('does not follow redirects', async () => {
    const target = await receiver();
    const rx = await receiver((_r, _n, res) => void res.writeHead(302, { location: target.url }).end());
    const rt = await h.runtime({}, { env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${rx.port},127.0.0.1:${target.port}`, LEDGER_WEBHOOK_RETRY_SCHEDULE: '10h' } });
    const sub = await rt.admin.create({ url: rx.url }, { name: 'alice' });
    await h.register('chicago-il');
    const attempt = await waitFor(async () => (await rt.admin.deliveries(sub.id, {})).items[0], 15000, 'the attempt');
    expect(attempt).toMatchObject({ outcome: 'failed', statusCode: 302 });
    expect(attempt.error).toMatch(/redirect not followed/);
    expect(target.requests).toHaveLength(0);
  });

  it('disables an endpoint that keeps failing for the configured window', async () => {
    const rx = await receiver((_r, _n, res) => void res.writeHead(500).end());
    const rt = await h.runtime({}, {
      env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${rx.port}`, LEDGER_WEBHOOK_RETRY_SCHEDULE: Array(50).fill('50ms').join(','), LEDGER_WEBHOOK_DISABLE_AFTER: '300ms' },
    });
    const sub = await rt.admin.create({ url: rx.url }, { name: 'alice' });
    await h.register('chicago-il');
    const off = await waitFor(async () => {
      const view = await rt.admin.get(sub.id);
      return !view.enabled && view;
    }, 15000, 'the endpoint to be disabled');
    expect(off.disabledReason).toMatch(/failing without a success since/);
    expect(off.messages?.pending).toBe(1);
  });

  it('gives up on a hung receiver after the timeout', async () => {
    const hung = await receiver(() => 'hang');
    const rt = await h.runtime({}, { env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${hung.port}`, LEDGER_WEBHOOK_TIMEOUT: '300ms', LEDGER_WEBHOOK_RETRY_SCHEDULE: '10h' } });
    const slow = await rt.admin.create({ url: hung.url }, { name: 'alice' });
    await h.register('chicago-il');
    const timedOut = await waitFor(async () => (await rt.admin.deliveries(slow.id, {})).items[0], 15000, 'the timed-out attempt');
    expect(timedOut).toMatchObject({ outcome: 'failed', statusCode: null });
    expect(timedOut.error).toMatch(/timed out after 300 ms/);
  });

  it('reads only the start of a huge answer', async () => {
    const chatty = await receiver((_r, _n, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('x'.repeat(5 * 1024 * 1024));
    });
    const rt = await h.runtime({}, { env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${chatty.port}` } });
    const big = await rt.admin.create({ url: chatty.url }, { name: 'alice' });
    await h.register('chicago-il');
    const read = await waitFor(async () => (await rt.admin.deliveries(big.id, {})).items[0], 15000, 'the big answer');
    expect(read).toMatchObject({ outcome: 'delivered', statusCode: 200 });
    expect(read.response!.length).toBeLessThanOrEqual(1024);
  });

  it('signs with both secrets during a rotation overlap, then with the new one only', async () => {
    const rx = await receiver();
    const rt = await h.runtime({}, { env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${rx.port}` } });
    const sub = await rt.admin.create({ url: rx.url }, { name: 'alice' });
    const rotated = await rt.admin.rotateSecret(sub.id, { name: 'alice' }, 3600);
    expect(rotated.secret).not.toBe(sub.secret);
    await h.register('chicago-il');
    await waitFor(() => rx.requests.length === 1, 15000, 'the delivery');
    const [during] = rx.requests;
    expect(String(during.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verify(sub.secret, during)).toBeTruthy();
    expect(verify(rotated.secret, during)).toBeTruthy();

    const again = await rt.admin.rotateSecret(sub.id, { name: 'alice' }, 0);
    await new Promise((r) => setTimeout(r, 1100)); // past the dispatcher's one-second secret cache
    await h.register('denver-co');
    await waitFor(() => rx.requests.length === 2, 15000, 'the second delivery');
    const after = rx.requests[1];
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verify(again.secret, after)).toBeTruthy();
    expect(() => verify(rotated.secret, after)).toThrow();
    expect(() => verify(sub.secret, after)).toThrow();
    // The audit trail shows the rotations, never a secret.
    const stream = await h.store.readStream(streamIdFor('webhook', sub.id));
    expect(stream.map((e) => e.type)).toEqual(['WebhookSubscribed', 'WebhookSecretRotated', 'WebhookSecretRotated']);
    const text = JSON.stringify(stream);
    for (const secret of [sub.secret, rotated.secret, again.secret]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice('whsec_'.length));
    }
  });

  it('refuses at connect time a name that resolved to a public address when subscribed and now resolves to loopback (DNS rebinding)', async () => {
    const rx = await receiver();
    let lookups = 0;
    const rebinding = async () => (lookups++ === 0 ? [{ address: '93.184.215.14', family: 4 }] : [{ address: '127.0.0.1', family: 4 }]);
    const rt = await h.runtime({}, { resolver: rebinding, env: { LEDGER_WEBHOOK_RETRY_SCHEDULE: '10h' } });
    const sub = await rt.admin.create({ url: `http://rebind.test:${rx.port}/hook` }, { name: 'alice' });
    await h.register('chicago-il');
    const attempt = await waitFor(async () => (await rt.admin.deliveries(sub.id, {})).items[0], 15000, 'the refused attempt');
    expect(attempt.outcome).toBe('failed');
    expect(attempt.error).toMatch(/refused by the URL guard: rebind\.test resolves to 127\.0\.0\.1/);
    expect(rx.requests).toHaveLength(0);
  });

  it('reaches the same name when the operator allows the address it resolves to', async () => {
    const rx = await receiver();
    const resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const rt = await h.runtime({}, { resolver, env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${rx.port}` } });
    const sub = await rt.admin.create({ url: `http://receiver.test:${rx.port}/hook` }, { name: 'alice' });
    await h.register('chicago-il');
    await waitFor(() => rx.requests.length === 1, 15000, 'the delivery');
    expect(verify(sub.secret, rx.requests[0])).toBeTruthy();
  });
});
