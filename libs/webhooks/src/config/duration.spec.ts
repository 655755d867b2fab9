import { loadWebhookSettings } from './webhook-settings';
import { parseDuration, parseSchedule } from './duration';

describe('durations and the retry schedule', () => {
  it('reads ms, s, m, h and d', () => {
    expect([parseDuration('100ms'), parseDuration('5s'), parseDuration('5m'), parseDuration('2h'), parseDuration('1d'), parseDuration('250')]).toEqual([
      100, 5000, 300000, 7200000, 86400000, 250,
    ]);
    expect(() => parseDuration('5 minutes')).toThrow(/not a duration/);
  });

  it('defaults to the Svix-like schedule and takes LEDGER_WEBHOOK_RETRY_SCHEDULE', () => {
    expect(loadWebhookSettings({}).retrySchedule).toEqual(parseSchedule('5s,5m,30m,2h,5h,10h,10h'));
    expect(loadWebhookSettings({ LEDGER_WEBHOOK_RETRY_SCHEDULE: '100ms, 200ms,300ms' }).retrySchedule).toEqual([100, 200, 300]);
    expect(() => loadWebhookSettings({ LEDGER_WEBHOOK_RETRY_SCHEDULE: '5s,soon' })).toThrow(/LEDGER_WEBHOOK_RETRY_SCHEDULE/);
    expect(loadWebhookSettings({}).timeoutMs).toBe(15000);
  });
});
