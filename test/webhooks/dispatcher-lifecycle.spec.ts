import { WebhookHarness } from './support/webhook-harness';

/**
 * A dispatcher stopped while it is still starting (an app closed during its bootstrap)
 * must not go on to follow the log: nobody would stop that subscription, and once the
 * store closed it retried every second for ever, holding the process open.
 */
describe('a webhook dispatcher stopped while it starts', () => {
  let harness: WebhookHarness;

  beforeEach(async () => {
    harness = await WebhookHarness.open('sqlite');
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await harness.close();
  });

  test('does not subscribe to the log after it was stopped', async () => {
    const runtime = await harness.runtime({}, { start: false });
    const subscribe = jest.spyOn(harness.store, 'subscribe');
    const starting = runtime.dispatcher.start();
    await runtime.dispatcher.stop();
    await starting;
    expect(runtime.dispatcher.isRunning).toBe(false);
    expect(subscribe).not.toHaveBeenCalled();
  });

  test('started to the end and then stopped, it did follow the log', async () => {
    const runtime = await harness.runtime({}, { start: false });
    const subscribe = jest.spyOn(harness.store, 'subscribe');
    await runtime.dispatcher.start();
    expect(subscribe).toHaveBeenCalled();
    await runtime.dispatcher.stop();
    expect(runtime.dispatcher.isRunning).toBe(false);
  });
});
