import { occurredAtMillis, periodEndMillis, type EventEnvelope } from '@ledger/domain';
import { handlesEvent, isFix, type FoldContext, type KeyedProjection } from '../core/projection';

/**
 * Folds a projection over a list of events in memory, with exactly the code the runner
 * uses for the stored tables. Fix targets are looked up in the list itself; pass every
 * event a fix may point at (the stream of the entity holds them).
 */
export function foldProjection<S>(projection: KeyedProjection<S>, events: readonly EventEnvelope[], only?: ReadonlySet<string>): Map<string, S> {
  const ordered = [...events].sort((a, b) => a.position - b.position);
  const byId = new Map(ordered.map((e) => [e.eventId, e]));
  const states = new Map<string, S>();
  for (const event of ordered) {
    if (!handlesEvent(projection, event.type)) continue;
    const ctx = fixContext(event, byId);
    for (const key of projection.route(event, ctx).keys) {
      if (only && !only.has(key)) continue;
      const state = states.get(key) ?? projection.initial(key);
      states.set(key, projection.evolve(state, event, ctx));
    }
  }
  return states;
}

export function fixContext(event: EventEnvelope, byId: ReadonlyMap<string, EventEnvelope>): FoldContext {
  if (!isFix(event)) return {};
  const target = byId.get(String(event.data.targetEventId));
  const root = target && isFix(target) ? byId.get(String(target.data.targetEventId)) : undefined;
  return { ...(target ? { target } : {}), ...(root ? { root } : {}) };
}

export interface KnownAt {
  /** Valid time: what had happened by then (`2018-01-24` includes that whole day). */
  asOf?: string;
  /** Record time: what the ledger knew by then (corrections and retractions included only if recorded by then). */
  knownAt?: string;
}

const REGISTRATIONS = new Set(['JurisdictionRegistered', 'OrganizationRegistered', 'OfficialRegistered', 'MeetingScheduled']);

/**
 * The events a point-in-time view folds. Registrations describe the entity rather than
 * an action, so asOf does not drop them (a registration's date is often just the day it
 * was entered); corrections and retractions are judged by record time only, since they
 * fix what the ledger says about the past.
 */
export function knownEvents(events: readonly EventEnvelope[], { asOf, knownAt }: KnownAt): EventEnvelope[] {
  const validLimit = asOf === undefined ? Infinity : asOf.includes('T') ? occurredAtMillis(asOf) + 1 : periodEndMillis(asOf);
  const recordLimit = knownAt === undefined ? Infinity : knownAt.includes('T') ? Date.parse(knownAt) + 1 : periodEndMillis(knownAt);
  return events.filter((e) => {
    if (Date.parse(e.recordedAt) >= recordLimit) return false;
    if (isFix(e) || REGISTRATIONS.has(e.type)) return true;
    return occurredAtMillis(e.occurredAt) < validLimit;
  });
}
