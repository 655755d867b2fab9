import type { EventEnvelope } from '@ledger/domain';
import { ACTOR_REF_PATTERN, parseStreamId } from '@ledger/domain';

/**
 * The actors an event concerns: the entity whose stream holds it, and every actor reference
 * in its data (`from`, `by`, `host`, `about[]`, `invitees[]` …). A registration's
 * `jurisdictionId` (an official's home jurisdiction) counts as a reference too.
 */
export function actorsOf(event: Pick<EventEnvelope, 'streamId' | 'data'>): Set<string> {
  const refs = new Set<string>();
  const own = parseStreamId(event.streamId);
  if (own && own.kind !== 'webhook') refs.add(`${own.kind}:${own.id}`);
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (ACTOR_REF_PATTERN.test(value)) refs.add(value);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    }
  };
  for (const [key, value] of Object.entries(event.data ?? {})) {
    if (key === 'jurisdictionId' && typeof value === 'string') refs.add(`jurisdiction:${value}`);
    else visit(value);
  }
  return refs;
}

export function concernsJurisdiction(event: Pick<EventEnvelope, 'streamId' | 'data'>, jurisdictionId: string): boolean {
  return actorsOf(event).has(`jurisdiction:${jurisdictionId}`);
}
