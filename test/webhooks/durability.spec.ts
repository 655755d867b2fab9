import { streamIdFor } from '@ledger/domain';
import { generateSecret } from '@ledger/webhooks';
import { randomUUID } from 'node:crypto';
import { waitFor } from '../support/events';
import { freePort, Receiver } from './support/receiver';
import { WebhookHarness, type ReadModelKind } from './support/webhook-harness';

/**
 * Delivery state (registry, checkpoints, outbox, log, leases) lives in the read-model
 * database; these run against both of its dialects.
 */
describe.each<ReadModelKind>(['sqlite', 'postgres'])('durable delivery state on %s', (kind) => {
  let h: WebhookHarness;
  const receivers: Receiver[] = [];

  beforeEach(async () => {
    h = await WebhookHarness.open(kind);
  });
  afterEach(async () => {
    await h.close();
    for (const r of receivers.splice(0)) await r.close();
  });

  it('a new dispatcher resumes what a stopped one owed a receiver that was down, without re-queueing', async () => {
    const port = await freePort();
    const env = { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${port}`, LEDGER_WEBHOOK_RETRY_SCHEDULE: Array(40).fill('100ms').join(',') };
    const first = await h.runtime({}, { env, owner: 'first' });
    const sub = await first.admin.create({ url: `http://127.0.0.1:${port}/hook` }, { name: 'alice' });
    const events = [];
    for (let i = 0; i < 10; i++) events.push(await h.register(`j-${i}`));
    await waitFor(async () => (await first.admin.deliveries(sub.id, { status: 'failed' })).items.length >= 10, 15000, 'failed attempts');
    await first.close();

    const rx = await Receiver.start(undefined, port);
    receivers.push(rx);
    const second = await h.runtime({}, { env, owner: 'second' });
    const view = await waitFor(async () => {
      const v = await second.admin.get(sub.id);
      return v.messages?.delivered === 10 && v;
    }, 20000, 'every event delivered');
    expect(new Set(rx.eventIds())).toEqual(new Set(events.map((e) => e.eventId)));
    expect(view.messages).toMatchObject({ delivered: 10, pending: 0, dead: 0 });
    expect(view.checkpoint).toBeGreaterThanOrEqual(events[9].position);
    expect(await second.leases.holder(sub.id, Date.now())).toBe('second');
  });

  it('runs each subscription in one dispatcher at a time, and another takes over when it stops', async () => {
    const rxs = await Promise.all(Array.from({ length: 4 }, () => Receiver.start()));
    receivers.push(...rxs);
    const env = { LEDGER_WEBHOOK_ALLOW: rxs.map((r) => `127.0.0.1:${r.port}`).join(','), LEDGER_WEBHOOK_LEASE_TTL: '3s' };
    const a = await h.runtime({}, { env, owner: 'a' });
    const b = await h.runtime({}, { env, owner: 'b' });
    const subs = [];
    for (const r of rxs) subs.push(await a.admin.create({ url: r.url }, { name: 'alice' }));
    for (let i = 0; i < 5; i++) await h.register(`j-${i}`);
    await waitFor(() => rxs.every((r) => r.requests.length >= 5), 15000, 'deliveries');
    const holders = await Promise.all(subs.map((s) => a.leases.holder(s.id, Date.now())));
    expect(holders.every((x) => x === 'a' || x === 'b')).toBe(true);
    for (const r of rxs) expect(new Set(r.requests.map((q) => q.headers['webhook-id'])).size).toBe(r.requests.length);

    await (holders.includes('a') ? a : b).close();
    const survivor = holders.includes('a') ? 'b' : 'a';
    for (let i = 5; i < 8; i++) await h.register(`j-${i}`);
    await waitFor(() => rxs.every((r) => new Set(r.eventIds()).size === 8), 15000, 'deliveries after the takeover');
    for (const s of subs) expect(await a.leases.holder(s.id, Date.now())).toBe(survivor);
  });

  it('waits for a dead dispatcher\'s lease to run out, then takes its subscription over', async () => {
    const rx = await Receiver.start();
    receivers.push(rx);
    const env = { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${rx.port}`, LEDGER_WEBHOOK_LEASE_TTL: '600ms' };
    const admin = await h.runtime({}, { env, owner: 'admin-only', start: false });
    const sub = await admin.admin.create({ url: rx.url }, { name: 'alice' });
    // A dispatcher that died holding the lease for a while yet.
    await h.readModel.db.insertInto('webhook_leases').values({ subscription_id: sub.id, owner: 'ghost', expires_at: Date.now() + 1500 }).execute();
    const live = await h.runtime({}, { env, owner: 'live' });
    await h.register('chicago-il');
    expect(await live.leases.holder(sub.id, Date.now())).toBe('ghost');
    expect(rx.requests).toHaveLength(0);
    await waitFor(() => rx.requests.length === 1, 15000, 'delivery after the lease ran out');
    expect(await live.leases.holder(sub.id, Date.now())).toBe('live');
  });

  it('picks up a subscription recorded in the log but never applied (a crash between the two)', async () => {
    const rx = await Receiver.start();
    receivers.push(rx);
    const rt = await h.runtime({}, { env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${rx.port}` } });
    const id = randomUUID();
    const secret = generateSecret();
    await rt.secrets.add(id, secret, Date.now());
    await h.recorder.record(
      { type: 'WebhookSubscribed', streamId: streamIdFor('webhook', id), data: { url: rx.url, eventTypes: [], jurisdictions: [], actors: [] } },
      { recordedBy: 'alice' },
    );
    await waitFor(async () => (await rt.registry.subscriptions.get(id)) !== null, 15000, 'the registry to follow the log');
    const event = await h.register('chicago-il');
    await waitFor(() => rx.requests.length === 1, 15000, 'delivery');
    expect(rx.requests[0].json.data.eventId).toBe(event.eventId);
    expect((await rt.admin.get(id)).createdBy).toBe('alice');
  });
});
