import type { EventEnvelope } from '@ledger/domain';
import { applyFix, entryOf, type Entry } from './facts';
import { NO_ROUTE, type FoldContext, type Route } from './projection';
import { streamEntity } from './stream-ids';

/**
 * The state of a view keyed by one event (a statement, a boycott): the fact and its
 * corrections. Fixes live in the same stream as their target, so the key of a fix is the
 * id of the event at the end of its chain (a retraction may point at a correction).
 */
export interface EventFacts {
  id: string;
  position: number;
  /** The speaker or author: the entity whose stream holds the event (`official:jeff-sessions`). */
  owner: string | null;
  entry: Entry | null;
}

export function emptyEventFacts(id: string): EventFacts {
  return { id, position: -1, owner: null, entry: null };
}

export function routeEventKeyed(type: string) {
  return (event: EventEnvelope, ctx: FoldContext): Route => {
    if (event.type === type) return { keys: [event.eventId], created: true };
    const root = ctx.root ?? ctx.target;
    if ((event.type === 'CorrectionRecorded' || event.type === 'EventRetracted') && root?.type === type) return { keys: [root.eventId] };
    return NO_ROUTE;
  };
}

export function evolveEventFacts(state: EventFacts, event: EventEnvelope, type: string, fields: readonly string[]): EventFacts {
  if (event.type === type) {
    const owner = streamEntity(event.streamId);
    return { id: event.eventId, position: event.position, owner: owner ? owner.ref : null, entry: entryOf(event, fields) };
  }
  if (!state.entry) return state;
  const [entry] = applyFix([state.entry], event);
  return entry === state.entry ? state : { ...state, position: event.position, entry };
}
