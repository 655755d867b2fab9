import { ConfigError } from '@ledger/platform';
import { ROLES, type Role } from '../auth/api-keys';

/** The HTTP hardening settings, read once from the environment at start. */
export interface SecurityConfig {
  /** Requests per minute per API key (per client address in open mode); 0 turns limiting off. */
  rateLimitPerMinute: number;
  /** Origins allowed by CORS; empty means CORS stays off (no Access-Control-* headers). */
  corsOrigins: string[];
  /** How long a handler may take before the caller gets 503 REQUEST.TIMEOUT; 0 turns it off. */
  requestTimeoutMs: number;
  /** `open` (anyone, the default) or the roles that may read /metrics. */
  metricsAccess: 'open' | Role[];
}

export const SECURITY_CONFIG = Symbol('SECURITY_CONFIG');
export const DEFAULT_RATE_LIMIT = 1200;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** No list route answers more than this many items per page, whatever it is asked for. */
export const MAX_PAGE_SIZE = 1000;

export function loadSecurityConfig(env: NodeJS.ProcessEnv): SecurityConfig {
  return {
    rateLimitPerMinute: wholeNumber(env, 'LEDGER_RATE_LIMIT', DEFAULT_RATE_LIMIT),
    corsOrigins: (env.LEDGER_CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
    requestTimeoutMs: wholeNumber(env, 'LEDGER_REQUEST_TIMEOUT_MS', DEFAULT_REQUEST_TIMEOUT_MS),
    metricsAccess: metricsAccess(env.LEDGER_METRICS_ACCESS),
  };
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number (got "${raw}")`);
  return Number(raw);
}

/** `open`, or roles joined by `+` like API key entries: `admin`, `admin+analyst`. */
function metricsAccess(raw: string | undefined): 'open' | Role[] {
  if (raw === undefined || raw.trim() === '' || raw.trim() === 'open') return 'open';
  const roles = raw.split('+').map((r) => r.trim());
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (bad.length) throw new ConfigError(`LEDGER_METRICS_ACCESS must be "open" or roles like admin+analyst (unknown: ${bad.join(', ')})`);
  return roles as Role[];
}
