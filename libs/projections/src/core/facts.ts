import { writePath, type EventEnvelope } from '@ledger/domain';

/**
 * Views keep the facts they are built from, not running totals: a retraction then simply
 * removes a fact's effect, and a correction changes the fact before the view is derived
 * again. Corrections are kept beside the original data (never merged into it), so that
 * retracting a correction brings the original value back.
 */
export interface FieldChange {
  path: string;
  from: unknown;
  to: unknown;
}

export interface Fix {
  /** The CorrectionRecorded event's id. */
  id: string;
  position: number;
  recordedAt: string;
  changes: FieldChange[];
  reason: string;
  kind?: string;
  retracted: boolean;
}

/** Kept small: a rebuild holds and writes one of these per event. Absent flags mean false/none. */
export interface Entry<D = Record<string, unknown>> {
  /** The event's id. */
  id: string;
  type: string;
  position: number;
  occurredAt: string;
  /** The fields of the event's data this view needs, as recorded. */
  data: D;
  retracted?: boolean;
  /** The EventRetracted event's id, when retracted. */
  retractedBy?: string;
  fixes?: Fix[];
}

export interface Current<D> {
  data: D;
  occurredAt: string;
  corrected: boolean;
}

export function entryOf<D = Record<string, unknown>>(event: EventEnvelope, fields: readonly string[]): Entry<D> {
  const data: Record<string, unknown> = {};
  for (const field of fields) if (event.data[field] !== undefined) data[field] = event.data[field];
  return {
    id: event.eventId,
    type: event.type,
    position: event.position,
    occurredAt: event.occurredAt,
    data: data as D,
  };
}

/** The entry as it reads now: every correction that was not itself retracted, in order. */
export function currentOf<D>(entry: Entry<D>): Current<D> {
  let data = entry.data as unknown as Record<string, unknown>;
  let occurredAt = entry.occurredAt;
  let corrected = false;
  for (const fix of entry.fixes ?? []) {
    if (fix.retracted) continue;
    corrected = true;
    for (const change of fix.changes) {
      if (change.path === 'occurredAt' && typeof change.to === 'string') occurredAt = change.to;
      else if (change.path.startsWith('data.')) data = writePath(data, change.path.slice('data.'.length), change.to);
    }
  }
  return { data: data as unknown as D, occurredAt, corrected };
}

/**
 * Applies a CorrectionRecorded or EventRetracted to the entries it concerns. A retraction
 * may point at an entry or at one of its corrections. Entries it does not concern come
 * back unchanged (the same array when nothing matched).
 */
export function applyFix<E extends Entry<any>>(entries: readonly E[], fix: EventEnvelope): readonly E[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  const targetId = String(fix.data.targetEventId ?? '');
  if (fix.type === 'CorrectionRecorded') {
    const i = entries.findIndex((e) => e.id === targetId);
    if (i < 0) return entries;
    const next = [...entries];
    next[i] = {
      ...entries[i],
      fixes: [
        ...(entries[i].fixes ?? []),
        {
          id: fix.eventId,
          position: fix.position,
          recordedAt: fix.recordedAt,
          changes: ((fix.data.changes as FieldChange[]) ?? []).map(({ path, from, to }) => ({ path, from, to })),
          reason: String(fix.data.reason ?? ''),
          ...(fix.data.kind ? { kind: String(fix.data.kind) } : {}),
          retracted: false,
        },
      ],
    };
    return next;
  }
  if (fix.type === 'EventRetracted') {
    const i = entries.findIndex((e) => e.id === targetId || (e.fixes ?? []).some((f) => f.id === targetId));
    if (i < 0) return entries;
    const entry = entries[i];
    const next = [...entries];
    next[i] =
      entry.id === targetId
        ? { ...entry, retracted: true, retractedBy: fix.eventId }
        : { ...entry, fixes: (entry.fixes ?? []).map((f) => (f.id === targetId ? { ...f, retracted: true } : f)) };
    return next;
  }
  return entries;
}

/** How a view shows that it was corrected: what changed, why, and where to read the correction. */
export interface CorrectionNote {
  correctionEventId: string;
  targetEventId: string;
  targetType: string;
  changes: FieldChange[];
  reason: string;
  kind?: string;
  recordedAt: string;
  href: string;
}

export function correctionNotes(entries: readonly Entry<unknown>[]): CorrectionNote[] {
  const notes: CorrectionNote[] = [];
  for (const entry of entries) {
    if (entry.retracted) continue;
    for (const fix of entry.fixes ?? []) {
      if (fix.retracted) continue;
      notes.push({
        correctionEventId: fix.id,
        targetEventId: entry.id,
        targetType: entry.type,
        changes: fix.changes,
        reason: fix.reason,
        ...(fix.kind ? { kind: fix.kind } : {}),
        recordedAt: fix.recordedAt,
        href: `/v1/events/${fix.id}`,
      });
    }
  }
  return notes;
}

/** `data.name` → `name`: the view fields a correction changed. */
export function correctedFields(notes: readonly CorrectionNote[], targetEventId?: string): string[] {
  const fields = new Set<string>();
  for (const note of notes) {
    if (targetEventId && note.targetEventId !== targetEventId) continue;
    for (const change of note.changes) fields.add(change.path.startsWith('data.') ? change.path.slice(5) : change.path);
  }
  return [...fields];
}

export function live<E extends Entry<any>>(entries: readonly E[], type?: string): E[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  return entries.filter((e) => !e.retracted && (type === undefined || e.type === type));
}
