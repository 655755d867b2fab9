import { occurredAtMillis, type EventEnvelope } from '@ledger/domain';
import { applyFix, currentOf, entryOf, live, type Entry } from './facts';
import type { Route } from './projection';
import { streamEntity } from './stream-ids';

/** The state of a view keyed by one entity stream: the facts of that stream it needs. */
export interface StreamFacts {
  id: string;
  /** Position of the last event that changed this state. */
  position: number;
  entries: Entry[];
}

export function emptyStreamFacts(id: string): StreamFacts {
  return { id, position: -1, entries: [] };
}

/** Which data fields to keep, per event type the view reads. */
export type FieldPicks = Readonly<Record<string, readonly string[]>>;

export function evolveStreamFacts(state: StreamFacts, event: EventEnvelope, picks: FieldPicks): StreamFacts {
  if (event.type === 'CorrectionRecorded' || event.type === 'EventRetracted') {
    const entries = applyFix(state.entries, event);
    return entries === state.entries ? state : { ...state, position: event.position, entries: [...entries] };
  }
  const fields = picks[event.type];
  if (!fields) return state;
  return { ...state, position: event.position, entries: [...state.entries, entryOf(event, fields)] };
}

/** Routes an event to the entity whose stream holds it (`jurisdiction-chicago-il` → `chicago-il`). */
export function routeByStream(kind: string) {
  return (event: EventEnvelope): Route => {
    const parsed = streamEntity(event.streamId);
    return parsed && parsed.kind === kind ? { keys: [parsed.id] } : { keys: [] };
  };
}

const millisCache = new Map<string, number>();

/** Date.parse is slow and the same dates recur all over a ledger: remember a few thousand. */
export function millisOf(occurredAt: string): number {
  let t = millisCache.get(occurredAt);
  if (t === undefined) {
    t = occurredAtMillis(occurredAt);
    if (millisCache.size > 5000) millisCache.clear();
    millisCache.set(occurredAt, t);
  }
  return t;
}

/** The newest valid time among live entries (registration excluded): the entity's last activity. */
export function lastActivity(entries: readonly Entry[], skipTypes: readonly string[]): { at: string | null; ms: number | null } {
  let at: string | null = null;
  let ms: number | null = null;
  for (const entry of live(entries)) {
    if (skipTypes.includes(entry.type)) continue;
    const occurredAt = currentOf(entry).occurredAt;
    const t = millisOf(occurredAt);
    if (!Number.isFinite(t)) continue;
    if (ms === null || t >= ms) {
      ms = t;
      at = occurredAt;
    }
  }
  return { at, ms };
}

/** The live registration entry's current data, if the entity is registered. */
export function registration<D>(entries: readonly Entry[], type: string): { entry: Entry; data: D } | null {
  const entry = entries.find((e) => e.type === type && !e.retracted);
  return entry ? { entry, data: currentOf(entry).data as D } : null;
}
