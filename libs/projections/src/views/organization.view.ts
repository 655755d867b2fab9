import { correctedFields, correctionNotes, live, type CorrectionNote } from '../core/facts';
import { lastActivity, registration, type StreamFacts } from '../core/stream-facts';
import type { StatementView } from './statement.view';

export interface OrganizationView {
  id: string;
  name: string | null;
  level: string | null;
  parentId: string | null;
  statementCount: number;
  lastActivityAt: string | null;
  corrected: boolean;
  correctedFields: string[];
  corrections: CorrectionNote[];
  position: number;
  /** Single view only: the officials who speak for it, and its newest statements. */
  officials?: { id: string; name: string | null; title: string | null; party: string }[];
  statements?: StatementView[];
}

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function deriveOrganization(state: StreamFacts) {
  const reg = registration<Data>(state.entries, 'OrganizationRegistered');
  const activity = lastActivity(state.entries, ['OrganizationRegistered']);
  const notes = correctionNotes(state.entries);
  const view: OrganizationView = {
    id: state.id,
    name: reg ? String(reg.data.name) : null,
    level: reg ? String(reg.data.level) : null,
    parentId: reg?.data.parentId ? String(reg.data.parentId) : null,
    statementCount: live(state.entries, 'StatementIssued').length,
    lastActivityAt: activity.at,
    corrected: notes.length > 0,
    correctedFields: reg ? correctedFields(notes, reg.entry.id) : [],
    corrections: notes,
    position: state.position,
  };
  return { view, registered: reg !== null, lastActivityMs: activity.ms };
}

export function organizationView(state: StreamFacts): OrganizationView {
  return deriveOrganization(state).view;
}
