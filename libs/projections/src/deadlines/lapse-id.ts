import { createHash } from 'node:crypto';

/**
 * The id of a deadline's DeadlineLapsed event, derived from the deadline itself: every
 * watcher (another worker, this one after a restart) proposes the same event, and the
 * store's idempotent append keeps exactly one.
 */
export function lapseEventId(streamId: string, deadlineId: string): string {
  const h = createHash('sha256').update(`ledger:DeadlineLapsed:${streamId}:${deadlineId}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A deadline lapses when its due period has ended: a day-precision dueAt lasts the whole day (UTC). */
export function lapseTime(dueEndMillis: number): string {
  return new Date(dueEndMillis).toISOString().replace('.000Z', 'Z');
}
