import { correctedFields, correctionNotes, currentOf, type CorrectionNote } from '../core/facts';
import type { EventFacts } from '../core/event-facts';

export interface BoycottView {
  eventId: string;
  officialId: string;
  meetingId: string;
  reason?: string;
  /** `boycott` when the source says so, `non-attendance` when it only says they stayed away. */
  form: string;
  at: string;
  corrected: boolean;
  correctedFields: string[];
  corrections: CorrectionNote[];
}

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function boycottView(state: EventFacts): BoycottView | null {
  const entry = state.entry;
  if (!entry || entry.retracted) return null;
  const { data, occurredAt } = currentOf<Data>(entry);
  const notes = correctionNotes([entry]);
  return {
    eventId: entry.id,
    officialId: (state.owner ?? '').replace(/^official:/, ''),
    meetingId: String(data.meetingId),
    ...(data.reason !== undefined ? { reason: String(data.reason) } : {}),
    form: String(data.form ?? 'boycott'),
    at: occurredAt,
    corrected: notes.length > 0,
    correctedFields: correctedFields(notes),
    corrections: notes,
  };
}
