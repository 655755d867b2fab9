import { actorsOf } from '@ledger/audit';
import { ACTOR_REF_PATTERN, EVENT_TYPES, isEventType, isSlug, type EventEnvelope, type FieldError } from '@ledger/domain';
import type { EventFilter } from '@ledger/event-store';

/** What a subscriber (or a live-stream client) asks for. Empty lists mean "any". */
export interface SubscriptionFilter {
  eventTypes: readonly string[];
  jurisdictions: readonly string[];
  actors: readonly string[];
}

/**
 * The ledger's own webhook bookkeeping (WebhookSubscribed …) is not news for subscribers
 * and names other subscribers' URLs: it is sent only to those who list the types.
 */
export const BOOKKEEPING_TYPES: readonly string[] = EVENT_TYPES.filter((t) => t.startsWith('Webhook'));

export const FILTER_LIMITS = { eventTypes: 50, jurisdictions: 200, actors: 200 } as const;

export interface CompiledFilter {
  /** The part the store applies itself. */
  store: EventFilter;
  matches(event: Pick<EventEnvelope, 'type' | 'streamId' | 'data'>): boolean;
}

/**
 * Lists narrow: an event must have one of the types (if any are listed), AND concern one
 * of the jurisdictions (if any), AND one of the actors (if any). "Concerns" is the
 * timeline's rule (@ledger/audit actorsOf): the event's own stream, or a reference in its data.
 */
export function compileFilter(filter: SubscriptionFilter): CompiledFilter {
  const types = new Set(filter.eventTypes);
  const jurisdictions = filter.jurisdictions.map((j) => `jurisdiction:${j}`);
  const actors = [...filter.actors];
  return {
    store: types.size ? { types: [...types] } : {},
    matches(event) {
      if (types.size ? !types.has(event.type) : BOOKKEEPING_TYPES.includes(event.type)) return false;
      if (jurisdictions.length === 0 && actors.length === 0) return true;
      const refs = actorsOf(event);
      if (jurisdictions.length && !jurisdictions.some((j) => refs.has(j))) return false;
      if (actors.length && !actors.some((a) => refs.has(a))) return false;
      return true;
    },
  };
}

/** Field-level reasons for a filter given as plain input (query strings, bodies). */
export function filterErrors(filter: Partial<Record<keyof SubscriptionFilter, unknown>>): FieldError[] {
  const errors: FieldError[] = [];
  const check = (field: keyof SubscriptionFilter, valid: (v: string) => boolean, expected: string) => {
    const value = filter[field];
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      errors.push({ field, reasons: [`${field} must be an array`] });
      return;
    }
    if (value.length > FILTER_LIMITS[field]) errors.push({ field, reasons: [`${field} must list at most ${FILTER_LIMITS[field]} entries`] });
    value.forEach((v, i) => {
      if (typeof v !== 'string' || !valid(v)) errors.push({ field: `${field}.${i}`, reasons: [`${field}.${i} must be ${expected}`] });
    });
  };
  check('eventTypes', isEventType, "an event type of the catalogue (e.g. LetterSent)");
  check('jurisdictions', isSlug, 'a jurisdiction id like "chicago-il"');
  check('actors', (v) => ACTOR_REF_PATTERN.test(v), 'an actor reference like "organization:us-doj"');
  return errors;
}
