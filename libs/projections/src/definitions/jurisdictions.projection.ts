import { FIX_TYPES, type KeyedProjection } from '../core/projection';
import { emptyStreamFacts, evolveStreamFacts, routeByStream, type FieldPicks, type StreamFacts } from '../core/stream-facts';
import { big, int, NO_TIME_EARLY, NO_TIME_LATE, text, type TableSpec } from '../core/table-spec';
import { deriveJurisdiction, type JurisdictionSummary, type JurisdictionView } from '../views/jurisdiction.view';

const PICKS: FieldPicks = {
  JurisdictionRegistered: ['name', 'kind', 'state'],
  LetterSent: ['letterId', 'from', 'subject', 'threats', 'signedBy'],
  DeadlineSet: ['deadlineId', 'letterId', 'dueAt', 'requirement'],
  ResponseReceived: ['letterId', 'completeness', 'summary'],
  DeadlineLapsed: ['deadlineId'],
  SubpoenaThreatened: ['by', 'letterId', 'condition'],
  SubpoenaIssued: ['by', 'subject'],
  FundingThreatened: ['by', 'program', 'condition', 'letterId'],
};

export const JURISDICTIONS_TABLE: TableSpec = {
  name: 'jurisdictions',
  keyColumn: 'id',
  primaryKey: ['id'],
  columns: [
    text('id'),
    text('name', true),
    text('name_key'),
    text('kind', true),
    text('state', true),
    text('status'),
    int('letters_received'),
    int('open_deadlines'),
    int('lapsed_deadlines'),
    text('next_deadline_at', true),
    big('next_deadline_sort'),
    int('subpoena_threatened'),
    int('funding_threatened'),
    text('last_activity_at', true),
    big('last_activity_sort'),
    int('registered'),
    int('corrected'),
    big('position'),
    text('facts'),
    text('view'),
    text('summary'),
  ],
  // Each sort has an index, and so has each equality filter with the sorts it is most
  // used with, so that a page is an index range scan however large the table grows.
  indexes: [
    { name: 'name', columns: ['name_key', 'id'] },
    { name: 'activity', columns: ['last_activity_sort', 'id'] },
    { name: 'deadline', columns: ['next_deadline_sort', 'id'] },
    { name: 'letters', columns: ['letters_received', 'id'] },
    { name: 'state', columns: ['state', 'name_key', 'id'] },
    { name: 'kind', columns: ['kind', 'name_key', 'id'] },
    { name: 'status', columns: ['status', 'name_key', 'id'] },
    { name: 'status_activity', columns: ['status', 'last_activity_sort', 'id'] },
    { name: 'status_deadline', columns: ['status', 'next_deadline_sort', 'id'] },
  ],
};

/**
 * The stored view and list summary, byte for byte `JSON.stringify(jurisdictionView(state))`
 * and `JSON.stringify(jurisdictionSummary(view))` (a spec holds them to it): the summary's
 * fields are the view's, in the view's order, so the large ones (the threats) are
 * serialized once for both.
 */
export function jurisdictionDocuments(d: ReturnType<typeof deriveJurisdiction>): { view: string; summary: string } {
  const head: Omit<JurisdictionSummary, 'lastActivityAt' | 'corrected' | 'correctedFields' | 'position'> = {
    id: d.id,
    name: d.name,
    kind: d.kind,
    state: d.state,
    status: d.status,
    lettersReceived: d.lettersReceived,
    openDeadlines: d.openDeadlines,
    lapsedDeadlines: d.lapsedDeadlines,
    nextDeadlineAt: d.nextDeadlineAt,
    subpoenaThreats: d.subpoenaThreats,
    fundingThreats: d.fundingThreats,
  };
  const body: Pick<JurisdictionView, 'subpoenasIssued' | 'letters' | 'deadlines'> = { subpoenasIssued: d.subpoenasIssued, letters: d.letters, deadlines: d.deadlines };
  const activity: Pick<JurisdictionView, 'lastActivityAt' | 'corrected' | 'correctedFields'> = {
    lastActivityAt: d.lastActivityAt,
    corrected: d.corrected,
    correctedFields: d.correctedFields,
  };
  const open = JSON.stringify(head).slice(0, -1);
  const middle = JSON.stringify(activity).slice(1, -1);
  const close = `"position":${JSON.stringify(d.position)}}`;
  return {
    view: `${open},${JSON.stringify(body).slice(1, -1)},${middle},"corrections":${JSON.stringify(d.corrections)},${close}`,
    summary: `${open},${middle},${close}`,
  };
}

/** One row per jurisdiction, derived from the facts of its stream. */
export const jurisdictionsProjection: KeyedProjection<StreamFacts> = {
  kind: 'keyed',
  name: 'jurisdictions',
  version: 2,
  handles: [...Object.keys(PICKS), ...FIX_TYPES],
  tables: [JURISDICTIONS_TABLE],
  route: routeByStream('jurisdiction'),
  initial: emptyStreamFacts,
  evolve: (state, event) => evolveStreamFacts(state, event, PICKS),
  rows(key, state) {
    const d = deriveJurisdiction(state);
    const { view, summary } = jurisdictionDocuments(d);
    return {
      jurisdictions: [
        {
          id: key,
          name: d.name,
          name_key: (d.name ?? key).toLowerCase(),
          kind: d.kind,
          state: d.state,
          status: d.status,
          letters_received: d.lettersReceived,
          open_deadlines: d.openDeadlines,
          lapsed_deadlines: d.lapsedDeadlines,
          next_deadline_at: d.nextDeadlineAt,
          next_deadline_sort: d.nextDeadlineMs ?? NO_TIME_LATE,
          subpoena_threatened: d.subpoenaThreats.length > 0 ? 1 : 0,
          funding_threatened: d.fundingThreats.length > 0 ? 1 : 0,
          last_activity_at: d.lastActivityAt,
          last_activity_sort: d.lastActivityMs ?? NO_TIME_EARLY,
          registered: d.registered ? 1 : 0,
          corrected: d.corrected ? 1 : 0,
          position: state.position,
          facts: JSON.stringify(state),
          view,
          summary,
        },
      ],
    };
  },
};
