import type { EventEnvelope } from '@ledger/domain';
import { isFix, refsOf } from '@ledger/projections';

export type EventLookup = (eventId: string) => Promise<EventEnvelope | null>;

/**
 * The references an event concerns, exactly as the projections' timeline index files it
 * (refsOf), so a scan of the log and the index answer a filter the same way: a correction
 * or retraction also concerns what its target (and the target's target) concerns.
 */
export async function refsWithTargets(event: EventEnvelope, lookup: EventLookup): Promise<Set<string>> {
  const refs = new Set(refsOf(event));
  if (!isFix(event)) return refs;
  const targetId = String(event.data.targetEventId);
  refs.add(`event:${targetId}`);
  const target = await lookup(targetId);
  if (target) {
    for (const ref of refsOf(target)) refs.add(ref);
    if (isFix(target)) {
      const root = await lookup(String(target.data.targetEventId));
      if (root) for (const ref of refsOf(root)) refs.add(ref);
    }
  }
  return refs;
}

/**
 * What an event concerns on its own (without looking up a fix's target): its stream's
 * entity and every reference in its data. Synchronous, for per-event filters.
 */
export function actorsOf(event: Pick<EventEnvelope, 'streamId' | 'data'>): Set<string> {
  return new Set(refsOf(event));
}

export function concernsJurisdiction(event: Pick<EventEnvelope, 'streamId' | 'data'>, jurisdictionId: string): boolean {
  return actorsOf(event).has(`jurisdiction:${jurisdictionId}`);
}
