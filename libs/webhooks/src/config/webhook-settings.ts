import { ConfigError } from '@ledger/platform';
import { parseAllowList, type AllowRule } from '../guard/address-policy';
import { parseDuration, parseSchedule } from './duration';

/** Everything the webhook machinery reads from the environment, parsed once. */
export interface WebhookSettings {
  /** Delays between attempts: after the n-th failure, wait retrySchedule[n-1]; then dead-letter. */
  retrySchedule: number[];
  /** ± fraction of each delay drawn at random, so that failed endpoints are not hit in lockstep. */
  retryJitter: number;
  /** Connect + response + (capped) body, per attempt. */
  timeoutMs: number;
  /** How long an old secret keeps signing after a rotation. */
  secretOverlapMs: number;
  /** An endpoint failing without a success for this long is disabled. */
  disableAfterMs: number;
  allow: AllowRule[];
  /** A dispatcher holds a subscription for this long without renewing. */
  leaseTtlMs: number;
  /**
   * How often an idle worker looks again on its own. New events wake it at once (the log
   * subscription also notices other processes' appends) and it sleeps exactly until its
   * next retry, so this only bounds how late it sees a replay queued by another process.
   */
  pollIntervalMs: number;
  /** At most this many messages of one subscription waiting in the outbox; the rest wait in the log. */
  pendingWindow: number;
  /** Response bodies are read up to this many bytes and the rest is dropped. */
  responseCapBytes: number;
  /** Base64 of the 32-byte key that encrypts secrets; otherwise a key file in the data dir. */
  secretKey?: string;
}

export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h';

/** Throws ConfigError (a startup error: exit 2) naming the variable that is wrong. */
export function loadWebhookSettings(env: NodeJS.ProcessEnv = process.env, overrides: Partial<WebhookSettings> = {}): WebhookSettings {
  try {
    return parseSettings(env, overrides);
  } catch (error) {
    throw error instanceof ConfigError ? error : new ConfigError((error as Error).message);
  }
}

function parseSettings(env: NodeJS.ProcessEnv, overrides: Partial<WebhookSettings>): WebhookSettings {
  const duration = (name: string, fallback: string) => parseDuration(env[name] || fallback, name);
  const jitter = Number(env.LEDGER_WEBHOOK_RETRY_JITTER ?? 0.2);
  if (!(jitter >= 0 && jitter < 1)) throw new Error('LEDGER_WEBHOOK_RETRY_JITTER must be a fraction from 0 to below 1');
  return {
    retrySchedule: parseSchedule(env.LEDGER_WEBHOOK_RETRY_SCHEDULE || DEFAULT_RETRY_SCHEDULE, 'LEDGER_WEBHOOK_RETRY_SCHEDULE'),
    retryJitter: jitter,
    timeoutMs: duration('LEDGER_WEBHOOK_TIMEOUT', '15s'),
    secretOverlapMs: duration('LEDGER_WEBHOOK_SECRET_OVERLAP', '24h'),
    disableAfterMs: duration('LEDGER_WEBHOOK_DISABLE_AFTER', '5d'),
    allow: parseAllowList(env.LEDGER_WEBHOOK_ALLOW),
    leaseTtlMs: duration('LEDGER_WEBHOOK_LEASE_TTL', '15s'),
    pollIntervalMs: duration('LEDGER_WEBHOOK_POLL_INTERVAL', '5s'),
    pendingWindow: 1000,
    responseCapBytes: 1024,
    secretKey: env.LEDGER_WEBHOOK_SECRET_KEY || undefined,
    ...overrides,
  };
}
