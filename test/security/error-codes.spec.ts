import { ERROR_CODES } from '@ledger/domain';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const KINDS = ['invalid', 'unauthorized', 'forbidden', 'not-found', 'conflict', 'too-large', 'rule', 'rate-limited', 'unavailable', 'internal'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/**
 * A code is any quoted `AREA.WHAT` string in the shipped source (`'LETTER.NOT_FOUND'`),
 * wherever it is thrown from: `new LedgerError(…)`, `new DomainRuleError(…)`, `super(…)`,
 * `problem(…)`, a table of codes. Upper case on both sides of the dot.
 */
const CODE = /['"`]([A-Z][A-Z0-9_]*(?:\.[A-Z][A-Z0-9_]*)+)['"`]/g;

describe('error codes', () => {
  it('documents, in libs/domain/src/errors.ts ERROR_CODES, every code the source can throw', () => {
    const undocumented: string[] = [];
    for (const file of [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs'))]) {
      const text = readFileSync(file, 'utf8');
      for (const [, code] of text.matchAll(CODE)) {
        if (!ERROR_CODES[code]) undocumented.push(`${code} (${relative(ROOT, file)})`);
      }
    }
    expect([...new Set(undocumented)]).toEqual([]);
  });

  it('gives every documented code a kind and a title', () => {
    for (const [code, doc] of Object.entries(ERROR_CODES)) {
      expect([code, KINDS.includes(doc.kind)]).toEqual([code, true]);
      expect(doc.title.length).toBeGreaterThan(10);
    }
  });

  it('finds codes the way they are thrown (the scan can fail)', () => {
    const sample = `throw new LedgerError('NOT.A_REAL_CODE', 'x'); throw new DomainRuleError("ALSO.NOT_REAL", 'y')`;
    const found = [...sample.matchAll(CODE)].map((m) => m[1]);
    expect(found).toEqual(['NOT.A_REAL_CODE', 'ALSO.NOT_REAL']);
    expect(found.filter((c) => ERROR_CODES[c])).toEqual([]);
  });
});
