/** Opaque page cursors: the position to continue after, so clients cannot do arithmetic on them. */
export function encodeCursor(after: number): string {
  return Buffer.from(`p:${after}`, 'utf8').toString('base64url');
}

/** The position in a cursor, or null when it is not one of ours. */
export function decodeCursor(cursor: string): number | null {
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(cursor)) return null;
  const m = /^p:(-?\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) && n >= -1 ? n : null;
}
