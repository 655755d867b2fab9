import { occurredAtMillis, type EventEnvelope } from '@ledger/domain';
import type { ReadAllOptions } from '@ledger/event-store';
import { isFix, refsOf } from '@ledger/projections';
import { refsWithTargets, type EventLookup } from './event-refs';

/**
 * What the timeline and the export can be narrowed to. Dates are ISO 8601: a bare day
 * (`2018-01-24`) as a lower bound means its start and as an upper bound its end, so
 * `occurredFrom=2018-01-24&occurredTo=2018-01-24` is that whole day.
 */
export interface LogFilter {
  types?: string[];
  streamId?: string;
  /** A jurisdiction id (`chicago-il`): its stream and every event that names it. */
  jurisdiction?: string;
  /** An actor or meeting reference (`official:jeff-sessions`): its stream and every event that names it. */
  actor?: string;
  occurredFrom?: string;
  occurredTo?: string;
  recordedFrom?: string;
  recordedTo?: string;
  /** Exclusive lower bound on position (the cursor). */
  afterPosition?: number;
  /** Inclusive upper bound on position. */
  toPosition?: number;
}

const DAY_MS = 24 * 3600 * 1000;

function lowerBound(date: string): number {
  return occurredAtMillis(date);
}

/** Day-precision upper bounds include the whole day. */
function upperBoundExclusive(date: string): number {
  return date.includes('T') ? occurredAtMillis(date) + 1 : occurredAtMillis(date) + DAY_MS;
}

/** The part of the filter the store can apply itself (types, stream), as readAll options. */
export function storeFilter(filter: LogFilter): Pick<ReadAllOptions, 'types' | 'streamPrefixes' | 'after'> {
  return {
    types: filter.types?.length ? filter.types : undefined,
    streamPrefixes: filter.streamId ? [filter.streamId] : undefined,
    after: filter.afterPosition,
  };
}

/** True or false, or a promise of it when a fix's target had to be looked up. */
export type EventMatcher = (event: EventEnvelope) => boolean | Promise<boolean>;

/**
 * A predicate for the whole filter, compiled once per request. Reference filters look up
 * a fix's target through `lookup` (only for fixes, which are rare), so every other event
 * is decided synchronously.
 */
export function compileFilter(filter: LogFilter, lookup: EventLookup): EventMatcher {
  const checks: ((e: EventEnvelope) => boolean)[] = [];
  if (filter.types?.length) {
    const types = new Set(filter.types);
    checks.push((e) => types.has(e.type));
  }
  if (filter.streamId) checks.push((e) => e.streamId === filter.streamId);
  if (filter.occurredFrom) {
    const from = lowerBound(filter.occurredFrom);
    checks.push((e) => occurredAtMillis(e.occurredAt) >= from);
  }
  if (filter.occurredTo) {
    const to = upperBoundExclusive(filter.occurredTo);
    checks.push((e) => occurredAtMillis(e.occurredAt) < to);
  }
  if (filter.recordedFrom) {
    const from = lowerBound(filter.recordedFrom);
    checks.push((e) => Date.parse(e.recordedAt) >= from);
  }
  if (filter.recordedTo) {
    const to = upperBoundExclusive(filter.recordedTo);
    checks.push((e) => Date.parse(e.recordedAt) < to);
  }
  if (filter.afterPosition !== undefined) {
    const after = filter.afterPosition;
    checks.push((e) => e.position > after);
  }
  if (filter.toPosition !== undefined) {
    const last = filter.toPosition;
    checks.push((e) => e.position <= last);
  }
  const wanted = [filter.jurisdiction ? `jurisdiction:${filter.jurisdiction}` : null, filter.actor ?? null].filter((r): r is string => r !== null);
  return (e) => {
    if (!checks.every((check) => check(e))) return false;
    if (wanted.length === 0) return true;
    if (!isFix(e)) {
      const refs = refsOf(e);
      return wanted.every((r) => refs.includes(r));
    }
    return refsWithTargets(e, lookup).then((refs) => wanted.every((r) => refs.has(r)));
  };
}
