import { appendSpread, createAuditFixture, type AuditFixture } from './support/audit-fixture';

/**
 * A checkpointer stopped while it is still loading (a server closed during its start) must
 * not go on to follow the log: nobody would end that subscription.
 */
describe('an audit checkpointer stopped while it starts', () => {
  let f: AuditFixture;

  beforeEach(async () => {
    f = await createAuditFixture();
    await appendSpread(f.store, 3);
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    await f.close();
  });

  test('does not subscribe to the log after it was stopped', async () => {
    const subscribe = jest.spyOn(f.store, 'subscribe');
    const starting = f.checkpointer.start();
    await f.checkpointer.stop();
    await starting;
    expect(subscribe).not.toHaveBeenCalled();
  });

  test('started to the end, it follows the log and records what is appended', async () => {
    const subscribe = jest.spyOn(f.store, 'subscribe');
    await f.checkpointer.start();
    expect(subscribe).toHaveBeenCalledTimes(1);
    expect(await f.checkpointer.sync()).toBe(3);
    await f.checkpointer.stop();
  });
});
