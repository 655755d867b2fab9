import type { SortSpec } from './list-params';

/**
 * Keyset cursors: the sort value and id of the last item served. Pages never overlap and
 * never skip a row that existed when paging began, however many appends arrive between
 * pages (a row whose sort value itself changes meanwhile may move, as in any live list).
 */
export interface Cursor {
  value: string | number;
  id: string;
}

export function encodeCursor(sort: SortSpec, value: string | number, id: string): string {
  return Buffer.from(JSON.stringify({ s: sort.key, v: value, i: id })).toString('base64url');
}

export function decodeCursor(text: string, sort: SortSpec): Cursor | null {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(text)) return null;
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { s?: unknown; v?: unknown; i?: unknown };
    if (parsed === null || typeof parsed !== 'object' || parsed.s !== sort.key || typeof parsed.i !== 'string') return null;
    if (sort.numeric ? typeof parsed.v !== 'number' || !Number.isFinite(parsed.v) : typeof parsed.v !== 'string') return null;
    return { value: parsed.v as string | number, id: parsed.i };
  } catch {
    return null;
  }
}
