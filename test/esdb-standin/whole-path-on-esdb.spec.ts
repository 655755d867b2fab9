import { Webhook } from 'standardwebhooks';
import { startTestLedger, type TestLedger } from '../support/app';
import { waitFor } from '../support/events';
import { Receiver } from '../webhooks/support/receiver';
import { EsdbStandIn } from './standin-server';

// Several gRPC round trips per request to an in-process stand-in on a busy machine: a bound, not a timing assertion.
jest.setTimeout(120_000);

const SOURCE = { publication: 'TheBlaze' };

/**
 * LEDGER_STORE=esdb end to end, background work running: write → projection → timeline →
 * verify → webhook, all reading the log only through the EsdbEventStore adapter.
 */
describe('the whole path on EventStoreDB (stand-in)', () => {
  let standIn: EsdbStandIn;
  let ledger: TestLedger;
  let rx: Receiver;

  beforeAll(async () => {
    standIn = await new EsdbStandIn({ batchAppend: true }).start();
    rx = await Receiver.start();
    ledger = await startTestLedger({
      config: { store: 'esdb', eventstoreConnectionString: standIn.connectionString },
      background: true,
      env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${rx.port}`, LEDGER_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms', LEDGER_WEBHOOK_POLL_INTERVAL: '100ms' },
    });
  });
  afterAll(async () => {
    await ledger?.dispose();
    await rx?.close();
    await standIn?.stop();
  });

  const post = async (url: string, payload: object) => {
    const res = await ledger.inject({ method: 'POST', url, payload });
    if (res.statusCode !== 201) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };

  it('records, projects, lists in the timeline, verifies and delivers a signed webhook', async () => {
    const subscription = await post('/v1/webhooks', { url: rx.url, eventTypes: ['LetterSent'] });
    await post('/v1/jurisdictions', { id: 'chicago-il', name: 'City of Chicago', kind: 'city', state: 'IL' });
    const letter = await post('/v1/jurisdictions/chicago-il/letters', {
      letterId: 'doj-2018-01-24', from: 'organization:us-doj', subject: 'Records', demands: ['All documents'], threats: ['subpoena'],
      occurredAt: '2018-01-24', source: SOURCE,
    });

    // projection: read-your-writes through minPosition
    const view = await ledger.inject({ method: 'GET', url: `/v1/jurisdictions/chicago-il?minPosition=${letter.position}` });
    expect(view.statusCode).toBe(200);
    expect(view.json()).toMatchObject({ id: 'chicago-il', lettersReceived: 1, status: 'awaiting-response' });

    // timeline
    const timeline = (await ledger.inject({ method: 'GET', url: '/v1/timeline?jurisdiction=chicago-il' })).json();
    expect(timeline.items.map((e: { type: string }) => e.type)).toEqual(['JurisdictionRegistered', 'LetterSent']);
    expect(timeline.items[1]).toMatchObject({ eventId: letter.eventId, position: letter.position, hash: letter.hash });

    // verify
    const verify = (await ledger.inject({ method: 'GET', url: '/v1/audit/verify' })).json();
    expect(verify).toMatchObject({ ok: true, firstBroken: null });
    expect(verify.eventsChecked).toBeGreaterThanOrEqual(3);

    // webhook: delivered, signed, carrying the envelope with its position
    const got = await waitFor(() => rx.requests.find((r) => r.json.data.eventId === letter.eventId), 30_000, 'the delivery');
    const payload = new Webhook(subscription.secret).verify(got.body, got.headers as Record<string, string>) as { type: string; data: { position: number } };
    expect(payload).toMatchObject({ type: 'LetterSent', data: { position: letter.position } });
  });
});
