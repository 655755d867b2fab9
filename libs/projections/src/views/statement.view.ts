import { occurredAtMillis } from '@ledger/domain';
import { correctedFields, correctionNotes, currentOf, type CorrectionNote } from '../core/facts';
import type { EventFacts } from '../core/event-facts';

export interface StatementView {
  eventId: string;
  statementId: string;
  /** Who spoke: `official:jeff-sessions` or `organization:us-doj`. */
  speaker: string;
  channel: string;
  quote: string;
  about: string[];
  stance?: string;
  onBehalfOf?: string;
  venue?: string;
  at: string;
  corrected: boolean;
  correctedFields: string[];
  corrections: CorrectionNote[];
}

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Null when there is nothing to show: never issued (a stray fix) or retracted. */
export function statementView(state: EventFacts): StatementView | null {
  const entry = state.entry;
  if (!entry || entry.retracted) return null;
  const { data, occurredAt } = currentOf<Data>(entry);
  const notes = correctionNotes([entry]);
  return {
    eventId: entry.id,
    statementId: String(data.statementId),
    speaker: state.owner ?? '',
    channel: String(data.channel),
    quote: String(data.quote ?? ''),
    about: Array.isArray(data.about) ? [...new Set(data.about.map(String))] : [],
    ...(data.stance ? { stance: String(data.stance) } : {}),
    ...(data.onBehalfOf ? { onBehalfOf: String(data.onBehalfOf) } : {}),
    ...(data.venue ? { venue: String(data.venue) } : {}),
    at: occurredAt,
    corrected: notes.length > 0,
    correctedFields: correctedFields(notes),
    corrections: notes,
  };
}

export function statementTime(view: StatementView): number {
  const t = occurredAtMillis(view.at);
  return Number.isFinite(t) ? t : 0;
}
