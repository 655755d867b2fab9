const DATE_OR_INSTANT = /^(\d{4}-\d{2}-\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A bare day (`2018-01-24`) or an instant with its offset (`2018-01-24T15:00:00Z`).
 * Instants without an offset are refused: their meaning would depend on the server's zone.
 */
export function isDateOrInstant(value: string): boolean {
  const m = DATE_OR_INSTANT.exec(value);
  if (!m) return false;
  const day = m[1];
  const midnight = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(midnight) || new Date(midnight).toISOString().slice(0, 10) !== day) return false; // 2018-13-01, 2018-02-30
  return !Number.isNaN(Date.parse(value));
}
