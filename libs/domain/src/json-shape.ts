import { LedgerError } from './errors';

/** Deeper than any body the ledger accepts (a correction's value is a few levels at most). */
export const MAX_JSON_DEPTH = 32;

/**
 * Keys that reach an object's prototype machinery, and the names every object inherits
 * (`toString`, `hasOwnProperty`…). JSON.parse makes them plain own properties, but later
 * copies (class-transformer, spreads, merges) may treat them specially or drop them
 * silently — class-transformer skips them, so class-validator never saw them to refuse
 * them as unknown fields, and an import line kept them. A body with one is refused, never cleaned.
 */
const FORBIDDEN_KEYS = new Set(['prototype', ...Object.getOwnPropertyNames(Object.prototype)]);

/** Whether a key (or a correction path's segment) is one no body may use. */
export function isForbiddenKey(key: string): boolean {
  return FORBIDDEN_KEYS.has(key);
}

/**
 * Checks parsed JSON before anything recursive touches it: no forbidden key at any depth,
 * and no nesting deeper than MAX_JSON_DEPTH. Iterative, so a hostile body of a hundred
 * thousand levels cannot overflow the stack here. Returns the error to answer with, or null.
 */
export function checkJsonShape(value: unknown, where = '(body)'): LedgerError | null {
  const pending: { node: unknown; depth: number; path: string }[] = [{ node: value, depth: 0, path: '' }];
  while (pending.length) {
    const { node, depth, path } = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      return new LedgerError('REQUEST.TOO_DEEP', `The JSON is nested deeper than ${MAX_JSON_DEPTH} levels.`, { maxDepth: MAX_JSON_DEPTH }, [
        { field: path || where, reasons: [`nesting deeper than ${MAX_JSON_DEPTH} levels is not accepted`] },
      ]);
    }
    const entries = Array.isArray(node) ? node.map((v, i) => [String(i), v] as const) : Object.entries(node);
    for (const [key, child] of entries) {
      const childPath = path ? `${path}.${key}` : key;
      if (!Array.isArray(node) && FORBIDDEN_KEYS.has(key)) {
        return new LedgerError('REQUEST.FORBIDDEN_KEY', `The JSON contains a ${key} key.`, {}, [
          { field: childPath, reasons: ['__proto__, constructor, prototype and the names every object inherits (toString…) are not accepted as keys'] },
        ]);
      }
      pending.push({ node: child, depth: depth + 1, path: childPath });
    }
  }
  return null;
}
