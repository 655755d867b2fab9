import { correctedFields, correctionNotes, currentOf, live, type CorrectionNote } from '../core/facts';
import { lastActivity, registration, type StreamFacts } from '../core/stream-facts';
import type { StatementView } from './statement.view';

export interface OfficialBoycott {
  eventId: string;
  meetingId: string;
  reason?: string;
  form: string;
  at: string;
}

export interface OfficialView {
  id: string;
  name: string | null;
  title: string | null;
  organization: string | null;
  party: string;
  jurisdictionId: string | null;
  statementCount: number;
  boycotts: OfficialBoycott[];
  lastActivityAt: string | null;
  corrected: boolean;
  correctedFields: string[];
  corrections: CorrectionNote[];
  position: number;
  /** Newest statements first (single view only). */
  statements?: StatementView[];
}

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function deriveOfficial(state: StreamFacts) {
  const reg = registration<Data>(state.entries, 'OfficialRegistered');
  const boycotts: OfficialBoycott[] = live(state.entries, 'BoycottDeclared').map((e) => {
    const c = currentOf<Data>(e);
    return {
      eventId: e.id,
      meetingId: String(c.data.meetingId),
      ...(c.data.reason !== undefined ? { reason: String(c.data.reason) } : {}),
      form: String(c.data.form ?? 'boycott'),
      at: c.occurredAt,
    };
  });
  const activity = lastActivity(state.entries, ['OfficialRegistered']);
  const notes = correctionNotes(state.entries);
  const view: OfficialView = {
    id: state.id,
    name: reg ? String(reg.data.name) : null,
    title: reg ? String(reg.data.title) : null,
    organization: reg?.data.organization ? String(reg.data.organization) : null,
    party: reg?.data.party ? String(reg.data.party) : 'unknown',
    jurisdictionId: reg?.data.jurisdictionId ? String(reg.data.jurisdictionId) : null,
    statementCount: live(state.entries, 'StatementIssued').length,
    boycotts,
    lastActivityAt: activity.at,
    corrected: notes.length > 0,
    correctedFields: reg ? correctedFields(notes, reg.entry.id) : [],
    corrections: notes,
    position: state.position,
  };
  return { view, registered: reg !== null, lastActivityMs: activity.ms };
}

export function officialView(state: StreamFacts): OfficialView {
  return deriveOfficial(state).view;
}
