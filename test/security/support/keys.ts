import { parseKey, type ApiKey, type Role } from '../../../apps/ledger-api/src/http/auth/api-keys';

/** One key per role, one holding two roles, and a token no key has. */
export const TOKENS = {
  recorder: 'rec-0123456789abcdef0123',
  analyst: 'ana-0123456789abcdef0123',
  auditor: 'aud-0123456789abcdef0123',
  admin: 'adm-0123456789abcdef0123',
  'recorder+auditor': 'two-0123456789abcdef0123',
  'recorder+analyst+auditor+admin': 'all-0123456789abcdef0123',
  unknown: 'bad-0123456789abcdef0123',
} as const;

export const KEY_NAMES: Record<keyof typeof TOKENS, string> = {
  recorder: 'rita-recorder',
  analyst: 'ana-analyst',
  auditor: 'audrey-auditor',
  admin: 'adam-admin',
  'recorder+auditor': 'tess-two-roles',
  'recorder+analyst+auditor+admin': 'olga-every-role',
  unknown: '(none)',
};

export const LEDGER_API_KEYS = (['recorder', 'analyst', 'auditor', 'admin', 'recorder+auditor', 'recorder+analyst+auditor+admin'] as const)
  .map((roles) => `${KEY_NAMES[roles]}:${roles}:${TOKENS[roles]}`)
  .join(',');

export function testKeys(): ApiKey[] {
  return LEDGER_API_KEYS.split(',').map(parseKey);
}

export const bearer = (who: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[who]}` });

export type { Role };
