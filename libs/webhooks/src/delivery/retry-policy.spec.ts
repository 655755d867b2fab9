import type { SendResult } from './http-sender';
import { judgeAttempt, MAX_RETRY_AFTER_MS } from './retry-policy';

const rules = { retrySchedule: [1000, 60_000], retryJitter: 0.2, disableAfterMs: 3_600_000 };
const answer = (statusCode: number | null, retryAfterMs: number | null = null): SendResult => ({
  statusCode,
  retryAfterMs,
  latencyMs: 1,
  error: statusCode === 200 ? null : 'x',
  response: null,
});
const at = (now: number, failingSince: number | null = null, random = () => 0.5) => ({ now, failingSince, random });

describe('judging an attempt', () => {
  it('delivers on any 2xx', () => {
    expect(judgeAttempt(answer(204), 1, at(0), rules)).toMatchObject({ outcome: 'delivered', status: 'delivered' });
  });

  it('retries on the schedule with jitter, then dead-letters', () => {
    expect(judgeAttempt(answer(500), 1, at(0), rules)).toEqual({ outcome: 'failed', status: 'pending', nextAttemptAt: 1000 });
    expect(judgeAttempt(answer(null), 2, at(0, 0, () => 0), rules).nextAttemptAt).toBe(48_000);
    expect(judgeAttempt(answer(null), 2, at(0, 0, () => 1), rules).nextAttemptAt).toBe(72_000);
    expect(judgeAttempt(answer(500), 3, at(0), rules)).toMatchObject({ outcome: 'dead', status: 'dead' });
  });

  it('honours Retry-After (capped) in place of the schedule', () => {
    expect(judgeAttempt(answer(429, 30_000), 1, at(0), rules).nextAttemptAt).toBe(30_000);
    expect(judgeAttempt(answer(503, 10 * MAX_RETRY_AFTER_MS), 1, at(0), rules).nextAttemptAt).toBe(MAX_RETRY_AFTER_MS);
  });

  it('switches off on 410 and after failing for the whole window, keeping the message owed', () => {
    expect(judgeAttempt(answer(410), 1, at(0), rules)).toMatchObject({ outcome: 'disabled', status: 'pending', disable: expect.stringMatching(/410/) });
    expect(judgeAttempt(answer(500), 1, at(3_600_000, 0), rules)).toMatchObject({ outcome: 'disabled', status: 'pending' });
    expect(judgeAttempt(answer(500), 1, at(3_599_999, 0), rules).outcome).toBe('failed');
  });
});
