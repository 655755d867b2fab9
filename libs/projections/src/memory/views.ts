import type { EventEnvelope } from '@ledger/domain';
import type { EventFacts } from '../core/event-facts';
import type { StreamFacts } from '../core/stream-facts';
import { boycottsProjection } from '../definitions/boycotts.projection';
import { jurisdictionsProjection } from '../definitions/jurisdictions.projection';
import { meetingsProjection } from '../definitions/meetings.projection';
import { officialsProjection } from '../definitions/officials.projection';
import { organizationsProjection } from '../definitions/organizations.projection';
import { statementsProjection } from '../definitions/statements.projection';
import { statsProjection } from '../definitions/stats.projection';
import { boycottView, type BoycottView } from '../views/boycott.view';
import { deriveJurisdiction, jurisdictionView, type JurisdictionView } from '../views/jurisdiction.view';
import { meetingView, type MeetingView } from '../views/meeting.view';
import { deriveOfficial, officialView, type OfficialView } from '../views/official.view';
import { deriveOrganization, organizationView, type OrganizationView } from '../views/organization.view';
import { statementTime, statementView, type StatementView } from '../views/statement.view';
import { summarizeStats, type StatsView } from '../views/stats.view';
import { foldProjection } from './fold';

/**
 * Point-in-time views: the same projections folded over a chosen list of events (filter
 * it first with knownEvents). Each helper takes every event it may need and ignores the
 * rest, so passing a superset is fine.
 */

/** Statements (live, newest first) about `ref`, or by `speaker`. */
export function foldStatements(events: readonly EventEnvelope[], filter: { about?: string; speaker?: string } = {}): StatementView[] {
  const views: StatementView[] = [];
  for (const state of foldProjection<EventFacts>(statementsProjection, events).values()) {
    const view = statementView(state);
    if (!view) continue;
    if (filter.about && !view.about.includes(filter.about)) continue;
    if (filter.speaker && view.speaker !== filter.speaker) continue;
    views.push(view);
  }
  return views.sort((a, b) => statementTime(b) - statementTime(a) || (a.eventId < b.eventId ? 1 : -1));
}

/** A jurisdiction from its stream's events, plus (optionally) the statements about it. Null when not registered. */
export function foldJurisdiction(events: readonly EventEnvelope[], id: string): JurisdictionView | null {
  const state = foldProjection<StreamFacts>(jurisdictionsProjection, events, new Set([id])).get(id);
  if (!state || !deriveJurisdiction(state).registered) return null;
  return { ...jurisdictionView(state), statements: foldStatements(events, { about: `jurisdiction:${id}` }) };
}

export function foldOfficial(events: readonly EventEnvelope[], id: string): OfficialView | null {
  const state = foldProjection<StreamFacts>(officialsProjection, events, new Set([id])).get(id);
  if (!state || !deriveOfficial(state).registered) return null;
  return { ...officialView(state), statements: foldStatements(events, { speaker: `official:${id}` }) };
}

export function foldOrganization(events: readonly EventEnvelope[], id: string): OrganizationView | null {
  const state = foldProjection<StreamFacts>(organizationsProjection, events, new Set([id])).get(id);
  if (!state || !deriveOrganization(state).registered) return null;
  const officials = [...foldProjection<StreamFacts>(officialsProjection, events).values()]
    .map((s) => deriveOfficial(s))
    .filter((o) => o.registered && o.view.organization === id)
    .map(({ view }) => ({ id: view.id, name: view.name, title: view.title, party: view.party }))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  return { ...organizationView(state), officials, statements: foldStatements(events, { speaker: `organization:${id}` }) };
}

/** Needs the meeting's stream, the boycotts of it (officials' streams) and those officials' registrations. */
export function foldMeeting(events: readonly EventEnvelope[], id: string): MeetingView | null {
  const state = foldProjection<StreamFacts>(meetingsProjection, events, new Set([id])).get(id);
  if (!state || !state.entries.some((e) => e.type === 'MeetingScheduled' && !e.retracted)) return null;
  const boycotts = [...foldProjection<EventFacts>(boycottsProjection, events).values()]
    .map(boycottView)
    .filter((b): b is BoycottView => b !== null && b.meetingId === id);
  const officials = new Map(
    [...foldProjection<StreamFacts>(officialsProjection, events).values()].map((s) => {
      const v = officialView(s);
      return [v.id, { name: v.name, party: v.party }] as const;
    }),
  );
  return meetingView(state, boycotts, officials);
}

/** Counts by type, state, party and status over the whole list (the stats view at a point in time). */
export function computeStats(events: readonly EventEnvelope[]): StatsView {
  const jurisdictions = new Map<string, { state: string | null; status: string; kind: string | null; n: number }>();
  for (const s of foldProjection<StreamFacts>(jurisdictionsProjection, events).values()) {
    const d = deriveJurisdiction(s);
    if (!d.registered) continue;
    const key = `${d.state}|${d.status}|${d.kind}`;
    const g = jurisdictions.get(key) ?? { state: d.state, status: d.status, kind: d.kind, n: 0 };
    g.n += 1;
    jurisdictions.set(key, g);
  }
  const parties = new Map<string, number>();
  for (const s of foldProjection<StreamFacts>(officialsProjection, events).values()) {
    const o = deriveOfficial(s);
    if (o.registered) parties.set(o.view.party, (parties.get(o.view.party) ?? 0) + 1);
  }
  const registered = (projection: typeof organizationsProjection, type: string) =>
    [...foldProjection<StreamFacts>(projection, events).values()].filter((s) => s.entries.some((e) => e.type === type && !e.retracted)).length;
  const countLive = (projection: typeof statementsProjection) =>
    [...foldProjection<EventFacts>(projection, events).values()].filter((s) => s.entry && !s.entry.retracted).length;
  return summarizeStats({
    types: [...foldProjection(statsProjection, events).values()],
    jurisdictions: [...jurisdictions.values()],
    officials: [...parties].map(([party, n]) => ({ party, n })),
    organizations: registered(organizationsProjection, 'OrganizationRegistered'),
    meetings: registered(meetingsProjection, 'MeetingScheduled'),
    statements: countLive(statementsProjection),
    boycotts: countLive(boycottsProjection),
  });
}
