import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const ROLES = ['recorder', 'analyst', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  name: string;
  roles: Role[];
  /** SHA-256 of the token: the token itself is not kept in memory longer than parsing. */
  digest: Buffer;
}

/** Who is calling. In open mode (no keys configured) everyone is `anonymous` with every role. */
export interface Identity {
  name: string;
  roles: readonly Role[];
}

export const OPEN_IDENTITY: Identity = { name: 'anonymous', roles: ROLES };

/**
 * Keys from `LEDGER_API_KEYS` (`name:role+role:token,…`) and/or a file named by
 * `LEDGER_API_KEYS_FILE` (same entries, one per line, `#` comments).
 */
export function loadApiKeys(env: NodeJS.ProcessEnv = process.env): ApiKey[] {
  const entries: string[] = [];
  if (env.LEDGER_API_KEYS) entries.push(...env.LEDGER_API_KEYS.split(','));
  if (env.LEDGER_API_KEYS_FILE) {
    entries.push(...readFileSync(env.LEDGER_API_KEYS_FILE, 'utf8').split(/\r?\n/).filter((l) => l.trim() && !l.trim().startsWith('#')));
  }
  return entries.map((e) => e.trim()).filter(Boolean).map(parseKey);
}

export function parseKey(entry: string): ApiKey {
  const [name, roleList, ...tokenParts] = entry.split(':');
  const token = tokenParts.join(':');
  if (!name || !/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new Error(`API key entry has a bad name (expected name:role+role:token)`);
  const roles = (roleList ?? '').split('+').filter(Boolean);
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || bad.length) throw new Error(`API key "${name}" has unknown roles ${bad.join(', ') || '(none)'}; use ${ROLES.join(', ')}`);
  if (token.length < 16) throw new Error(`API key "${name}" has a token shorter than 16 characters`);
  return { name, roles: roles as Role[], digest: digest(token) };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

/**
 * Compares against every key in constant time per key (fixed-length digests), and does
 * not stop at the first match, so timing does not reveal which key or prefix matched.
 */
export function findKey(keys: readonly ApiKey[], token: string): ApiKey | null {
  const given = digest(token);
  let found: ApiKey | null = null;
  for (const key of keys) {
    if (timingSafeEqual(key.digest, given)) found = key;
  }
  return found;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
