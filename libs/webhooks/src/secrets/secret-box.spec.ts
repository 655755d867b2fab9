import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSecretBox, SECRET_KEY_FILE } from './secret-box';

describe('secret box', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ledger-secret-box-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('seals with a key file made on first use (owner-only) and opens with the same key later', () => {
    const sealed = loadSecretBox(dir).seal('whsec_abc', 'sub-1/1');
    expect(sealed).not.toContain('whsec_abc');
    expect(statSync(join(dir, SECRET_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(loadSecretBox(dir).open(sealed, 'sub-1/1')).toBe('whsec_abc');
  });

  it('does not open under another context or another key', () => {
    const box = loadSecretBox(dir);
    const sealed = box.seal('whsec_abc', 'sub-1/1');
    expect(() => box.open(sealed, 'sub-2/1')).toThrow();
    const other = mkdtempSync(join(tmpdir(), 'ledger-secret-box-'));
    expect(() => loadSecretBox(other).open(sealed, 'sub-1/1')).toThrow();
    rmSync(other, { recursive: true, force: true });
  });

  it('takes the key from LEDGER_WEBHOOK_SECRET_KEY when given, and writes no key file then', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const sealed = loadSecretBox(dir, key).seal('whsec_abc', 'c');
    expect(loadSecretBox(join(dir, 'elsewhere'), key).open(sealed, 'c')).toBe('whsec_abc');
    expect(existsSync(join(dir, SECRET_KEY_FILE))).toBe(false);
    expect(() => loadSecretBox(dir, Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
