import type { EventEnvelope } from '@ledger/domain';
import { isFix, type FoldContext } from '../core/projection';

type Lookup = (eventId: string) => Promise<EventEnvelope | null | undefined> | EventEnvelope | null | undefined;

/**
 * For each correction or retraction, the event it points at and (when that is a correction)
 * the event at the end of the chain. Targets always precede their fixes in the log, so the
 * answer is the same during a rebuild as it was live.
 */
export async function resolveFixTargets(events: readonly EventEnvelope[], lookup: Lookup): Promise<Map<string, FoldContext>> {
  const contexts = new Map<string, FoldContext>();
  if (!events.some(isFix)) return contexts;
  const inBatch = new Map(events.map((e) => [e.eventId, e]));
  const find = async (id: unknown) => (typeof id === 'string' ? (inBatch.get(id) ?? (await lookup(id)) ?? undefined) : undefined);
  for (const event of events) {
    if (!isFix(event)) continue;
    const target = await find(event.data.targetEventId);
    const root = target && isFix(target) ? await find(target.data.targetEventId) : undefined;
    contexts.set(event.eventId, { ...(target ? { target } : {}), ...(root ? { root } : {}) });
  }
  return contexts;
}
