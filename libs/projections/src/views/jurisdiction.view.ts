import { periodEndMillis } from '@ledger/domain';
import { correctedFields, correctionNotes, currentOf, live, type CorrectionNote, type Entry } from '../core/facts';
import { lastActivity, millisOf, registration, type StreamFacts } from '../core/stream-facts';
import type { StatementView } from './statement.view';

export const JURISDICTION_STATUSES = ['no-letter', 'awaiting-response', 'responded', 'partial', 'refused', 'overdue'] as const;
export type JurisdictionStatus = (typeof JURISDICTION_STATUSES)[number];

export interface ThreatView {
  eventId: string;
  /** Who threatened: an actor reference (`organization:us-doj`). */
  by: string;
  /** When (valid time). */
  at: string;
  /** A threat event of its own, or a threat listed in a letter. */
  via: 'threat' | 'letter';
  letterId?: string;
  condition?: string;
  program?: string;
}

export interface LetterView {
  eventId: string;
  letterId: string;
  from: string;
  subject: string;
  threats: string[];
  signedBy?: string;
  sentAt: string;
  status: Exclude<JurisdictionStatus, 'no-letter'>;
  response: { eventId: string; completeness: string; at: string; summary?: string } | null;
}

export interface DeadlineView {
  eventId: string;
  deadlineId: string;
  letterId: string;
  dueAt: string;
  requirement?: string;
  /** open: unanswered and not lapsed; lapsed: DeadlineLapsed recorded; met: the letter was answered first. */
  status: 'open' | 'lapsed' | 'met';
}

export interface JurisdictionView {
  id: string;
  name: string | null;
  kind: string | null;
  state: string | null;
  status: JurisdictionStatus;
  lettersReceived: number;
  openDeadlines: number;
  lapsedDeadlines: number;
  nextDeadlineAt: string | null;
  subpoenaThreats: ThreatView[];
  fundingThreats: ThreatView[];
  subpoenasIssued: { eventId: string; by: string; at: string; subject: string }[];
  letters: LetterView[];
  deadlines: DeadlineView[];
  lastActivityAt: string | null;
  corrected: boolean;
  correctedFields: string[];
  corrections: CorrectionNote[];
  /** Position of the last event that changed this view. */
  position: number;
  /** Statements about it (single view only: they live in officials' and organizations' streams). */
  statements?: StatementView[];
}

interface Derived extends JurisdictionView {
  registered: boolean;
  nextDeadlineMs: number | null;
  lastActivityMs: number | null;
}

type Data = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const STATUS_RANK: Record<LetterView['status'], number> = { overdue: 5, 'awaiting-response': 4, refused: 3, partial: 2, responded: 1 };
const COMPLETENESS_STATUS: Record<string, LetterView['status']> = { complete: 'responded', partial: 'partial', refused: 'refused' };

/**
 * Derives the jurisdiction's view from its stream's facts. Status: with no (live) letter
 * `no-letter`; otherwise the most pressing letter's state, in the order overdue (a
 * deadline lapsed unanswered) > awaiting-response > refused > partial > responded.
 */
export function deriveJurisdiction(state: StreamFacts): Derived {
  const entries = state.entries;
  const reg = registration<Data>(entries, 'JurisdictionRegistered');
  const cur = (e: Entry) => currentOf<Data>(e);

  const letterEntries = live(entries, 'LetterSent');
  const letterIds = new Set(letterEntries.map((e) => String(cur(e).data.letterId)));
  const responses = new Map<string, Entry>();
  for (const e of live(entries, 'ResponseReceived')) {
    const letterId = String(cur(e).data.letterId);
    if (letterIds.has(letterId)) responses.set(letterId, e); // the newest response counts
  }
  const lapsedIds = new Set(live(entries, 'DeadlineLapsed').map((e) => String(cur(e).data.deadlineId)));

  const deadlines: DeadlineView[] = live(entries, 'DeadlineSet')
    .filter((e) => letterIds.has(String(cur(e).data.letterId)))
    .map((e) => {
      const d = cur(e).data;
      const status: DeadlineView['status'] = lapsedIds.has(String(d.deadlineId)) ? 'lapsed' : responses.has(String(d.letterId)) ? 'met' : 'open';
      return {
        eventId: e.id,
        deadlineId: String(d.deadlineId),
        letterId: String(d.letterId),
        dueAt: String(d.dueAt),
        ...(d.requirement !== undefined ? { requirement: String(d.requirement) } : {}),
        status,
      };
    });

  const letters: LetterView[] = letterEntries.map((e) => {
    const c = cur(e);
    const letterId = String(c.data.letterId);
    const response = responses.get(letterId);
    const rc = response ? cur(response) : null;
    const status: LetterView['status'] = rc
      ? (COMPLETENESS_STATUS[String(rc.data.completeness)] ?? 'responded')
      : deadlines.some((d) => d.letterId === letterId && d.status === 'lapsed')
        ? 'overdue'
        : 'awaiting-response';
    return {
      eventId: e.id,
      letterId,
      from: String(c.data.from),
      subject: String(c.data.subject),
      threats: Array.isArray(c.data.threats) ? c.data.threats.map(String) : [],
      ...(c.data.signedBy ? { signedBy: String(c.data.signedBy) } : {}),
      sentAt: c.occurredAt,
      status,
      response:
        response && rc
          ? {
              eventId: response.id,
              completeness: String(rc.data.completeness),
              at: rc.occurredAt,
              ...(rc.data.summary !== undefined ? { summary: String(rc.data.summary) } : {}),
            }
          : null,
    };
  });

  let status: JurisdictionStatus = 'no-letter';
  for (const letter of letters) {
    if (status === 'no-letter' || STATUS_RANK[letter.status] > STATUS_RANK[status as LetterView['status']]) status = letter.status;
  }

  const open = deadlines.filter((d) => d.status === 'open');
  let next: DeadlineView | null = null;
  for (const d of open) if (!next || periodEndMillis(d.dueAt) < periodEndMillis(next.dueAt)) next = d;

  const threatsIn = (threat: string): ThreatView[] =>
    letters
      .filter((l) => l.threats.includes(threat))
      .map((l) => ({ eventId: l.eventId, by: l.from, at: l.sentAt, via: 'letter' as const, letterId: l.letterId }));
  const threatEvents = (type: string): ThreatView[] =>
    live(entries, type).map((e) => {
      const c = cur(e);
      return {
        eventId: e.id,
        by: String(c.data.by),
        at: c.occurredAt,
        via: 'threat' as const,
        ...(c.data.letterId ? { letterId: String(c.data.letterId) } : {}),
        ...(c.data.condition !== undefined ? { condition: String(c.data.condition) } : {}),
        ...(c.data.program !== undefined ? { program: String(c.data.program) } : {}),
      };
    });
  const byTime = (a: ThreatView, b: ThreatView) => millisOf(a.at) - millisOf(b.at);

  const activity = lastActivity(entries, ['JurisdictionRegistered']);
  const notes = correctionNotes(entries);
  return {
    id: state.id,
    registered: reg !== null,
    name: reg ? String(reg.data.name) : null,
    kind: reg ? String(reg.data.kind) : null,
    state: reg ? String(reg.data.state) : null,
    status,
    lettersReceived: letters.length,
    openDeadlines: open.length,
    lapsedDeadlines: deadlines.filter((d) => d.status === 'lapsed').length,
    nextDeadlineAt: next ? next.dueAt : null,
    nextDeadlineMs: next ? periodEndMillis(next.dueAt) : null,
    subpoenaThreats: [...threatEvents('SubpoenaThreatened'), ...threatsIn('subpoena')].sort(byTime),
    fundingThreats: [...threatEvents('FundingThreatened'), ...threatsIn('funding-cut')].sort(byTime),
    subpoenasIssued: live(entries, 'SubpoenaIssued').map((e) => {
      const c = cur(e);
      return { eventId: e.id, by: String(c.data.by), at: c.occurredAt, subject: String(c.data.subject) };
    }),
    letters,
    deadlines,
    lastActivityAt: activity.at,
    lastActivityMs: activity.ms,
    corrected: notes.length > 0,
    correctedFields: reg ? correctedFields(notes, reg.entry.id) : [],
    corrections: notes,
    position: state.position,
  };
}

export function jurisdictionView(state: StreamFacts): JurisdictionView {
  const { registered: _r, nextDeadlineMs: _n, lastActivityMs: _l, ...view } = deriveJurisdiction(state);
  return view;
}

/** What a list shows of a jurisdiction (the single view adds letters, deadlines, corrections, statements). */
export type JurisdictionSummary = Pick<
  JurisdictionView,
  | 'id'
  | 'name'
  | 'kind'
  | 'state'
  | 'status'
  | 'lettersReceived'
  | 'openDeadlines'
  | 'lapsedDeadlines'
  | 'nextDeadlineAt'
  | 'subpoenaThreats'
  | 'fundingThreats'
  | 'lastActivityAt'
  | 'corrected'
  | 'correctedFields'
  | 'position'
>;

export function jurisdictionSummary(view: JurisdictionView): JurisdictionSummary {
  return {
    id: view.id,
    name: view.name,
    kind: view.kind,
    state: view.state,
    status: view.status,
    lettersReceived: view.lettersReceived,
    openDeadlines: view.openDeadlines,
    lapsedDeadlines: view.lapsedDeadlines,
    nextDeadlineAt: view.nextDeadlineAt,
    subpoenaThreats: view.subpoenaThreats,
    fundingThreats: view.fundingThreats,
    lastActivityAt: view.lastActivityAt,
    corrected: view.corrected,
    correctedFields: view.correctedFields,
    position: view.position,
  };
}
