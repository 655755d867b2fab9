import type { Outcome } from '../store/delivery-log';
import type { MessageStatus } from '../store/outbox';
import type { SendResult } from './http-sender';

/** Retry-After is honoured up to this; a receiver cannot park a message for longer. */
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

export interface RetryRules {
  retrySchedule: readonly number[];
  retryJitter: number;
  disableAfterMs: number;
}

export interface AttemptVerdict {
  outcome: Outcome;
  status: MessageStatus;
  nextAttemptAt: number;
  /** Set when the endpoint must be switched off, with why. */
  disable?: string;
}

/**
 * What one attempt's result means. `attempt` counts from 1; after the n-th failure the
 * next try waits retrySchedule[n-1] (± jitter), or what a 429/503 asked for in
 * Retry-After; when the schedule is used up the message is dead-lettered. 410 Gone
 * switches the endpoint off at once, and so does a run of failures longer than
 * disableAfterMs; the message stays owed, for when the endpoint is re-enabled.
 */
export function judgeAttempt(
  result: SendResult,
  attempt: number,
  context: { now: number; failingSince: number | null; random?: () => number },
  rules: RetryRules,
): AttemptVerdict {
  const { now } = context;
  const code = result.statusCode;
  if (code !== null && code >= 200 && code < 300) return { outcome: 'delivered', status: 'delivered', nextAttemptAt: now };
  if (code === 410) {
    return { outcome: 'disabled', status: 'pending', nextAttemptAt: now, disable: 'the receiver answered 410 Gone' };
  }
  if (context.failingSince !== null && now - context.failingSince >= rules.disableAfterMs) {
    return {
      outcome: 'disabled',
      status: 'pending',
      nextAttemptAt: now,
      disable: `failing without a success since ${new Date(context.failingSince).toISOString()}`,
    };
  }
  if (attempt > rules.retrySchedule.length) return { outcome: 'dead', status: 'dead', nextAttemptAt: now };
  const random = context.random ?? Math.random;
  const scheduled = rules.retrySchedule[attempt - 1] * (1 - rules.retryJitter + 2 * rules.retryJitter * random());
  const delay = result.retryAfterMs !== null ? Math.min(result.retryAfterMs, MAX_RETRY_AFTER_MS) : scheduled;
  return { outcome: 'failed', status: 'pending', nextAttemptAt: now + Math.round(delay) };
}
