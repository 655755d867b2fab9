import type { EventEnvelope } from '@ledger/domain';
import { waitFor } from '../support/events';
import { Receiver } from './support/receiver';
import { WebhookHarness } from './support/webhook-harness';

const HUNG = 200;

/**
 * Each subscription has its own worker, so a receiver that accepts a request and never
 * answers holds up only its own subscription — for one timeout per attempt.
 */
describe('hung receivers', () => {
  let h: WebhookHarness;
  let hung: Receiver;
  let healthy: Receiver;

  beforeAll(async () => {
    h = await WebhookHarness.open('sqlite');
    hung = await Receiver.start(() => 'hang');
    healthy = await Receiver.start();
  });
  afterAll(async () => {
    await h.close();
    await hung.close();
    await healthy.close();
  });

  it(`${HUNG} hung receivers do not delay delivery to a healthy one`, async () => {
    const rt = await h.runtime({}, {
      // A timeout longer than the test: every hung attempt is still in flight at the end.
      env: { LEDGER_WEBHOOK_ALLOW: `127.0.0.1:${hung.port},127.0.0.1:${healthy.port}`, LEDGER_WEBHOOK_TIMEOUT: '10m', LEDGER_WEBHOOK_POLL_INTERVAL: '5s' },
    });
    const stuck: { id: string }[] = [];
    for (let i = 0; i < HUNG; i++) stuck.push(await rt.admin.create({ url: `${hung.url}?n=${i}` }, { name: 'alice' }));
    const good = await rt.admin.create({ url: healthy.url }, { name: 'alice' });

    const first = await h.register('chicago-il');
    await waitFor(() => hung.hanging.size === HUNG, 60000, 'every hung receiver to hold a request');
    const later: EventEnvelope[] = [];
    for (let i = 0; i < 5; i++) later.push(await h.letter('chicago-il'));

    await waitFor(() => later.every((e) => healthy.eventIds().includes(e.eventId)), 30000, 'the healthy receiver to get every event');
    expect(healthy.eventIds()).toEqual([first, ...later].map((e) => e.eventId));
    // The receiver sees a request before the dispatcher has its answer and records the
    // outcome, so the subscription's counts are awaited rather than read once.
    const view = await waitFor(async () => {
      const v = await rt.admin.get(good.id);
      return v.messages?.delivered === 6 && v;
    }, 15000, 'the healthy subscription to record every delivery');
    expect(view.messages).toMatchObject({ delivered: 6, pending: 0 });
    // Meanwhile every hung subscription is still waiting on its first attempt.
    expect(hung.hanging.size).toBe(HUNG);
    const hungAttempts = await h.readModel.db
      .selectFrom('webhook_attempts')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('subscription_id', 'in', stuck.map((s) => s.id))
      .executeTakeFirst();
    expect(Number(hungAttempts?.n)).toBe(0);
  }, 120_000);
});
