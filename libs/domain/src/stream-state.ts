import type { EventMetadata, NewEvent, Precision } from './envelope';

/** One event as the domain sees it now: corrections applied, retraction marked. */
export interface Fact {
  readonly eventId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly occurredAt: string;
  readonly occurredAtPrecision: Precision;
  readonly metadata: Pick<EventMetadata, 'source' | 'confidence'>;
  readonly retracted: boolean;
  /** Ids of the corrections applied to this fact, oldest first. */
  readonly correctedBy: readonly string[];
}

/** The state of one stream, enough to decide any command on it. */
export interface StreamState {
  readonly streamId: string;
  /** Revision of the last event; -1 for a stream with no events. */
  readonly revision: number;
  readonly facts: readonly Fact[];
}

export function emptyStream(streamId: string): StreamState {
  return { streamId, revision: -1, facts: [] };
}

export function factById(state: StreamState, eventId: string): Fact | undefined {
  return state.facts.find((f) => f.eventId === eventId);
}

/** Live (not retracted) facts of a type. */
export function liveFacts(state: StreamState, type: string): Fact[] {
  return state.facts.filter((f) => f.type === type && !f.retracted);
}

export function isOpened(state: StreamState, registrationType: string): boolean {
  return state.facts.some((f) => f.type === registrationType && !f.retracted);
}

/** Reads `data.name` / `metadata.source.quote` / `occurredAt` from a fact. Missing → undefined. */
export function readPath(fact: Fact, path: string): unknown {
  let node: unknown = fact;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Returns a copy of `root` with `path` set to `value` (null or undefined removes the key). */
export function writePath<T extends object>(root: T, path: string, value: unknown): T {
  const [head, ...rest] = path.split('.');
  const copy = (Array.isArray(root) ? [...root] : { ...root }) as Record<string, unknown>;
  if (rest.length === 0) {
    if (value === null || value === undefined) delete copy[head];
    else copy[head] = value;
    return copy as T;
  }
  const child = copy[head];
  copy[head] = writePath(child !== null && typeof child === 'object' ? child : {}, rest.join('.'), value);
  return copy as T;
}

export interface FieldChangeLike {
  path: string;
  from: unknown;
  to: unknown;
}

export function applyChanges(fact: Fact, changes: readonly FieldChangeLike[]): Fact {
  return changes.reduce<Fact>((f, change) => writePath(f, change.path, change.to), fact);
}

// Shared by every fact that has no corrections or no provenance: facts are never changed in
// place (a correction makes a new fact), and a ledger-wide fold holds hundreds of thousands.
const NO_CORRECTIONS: readonly string[] = Object.freeze([]);
const NO_PROVENANCE: Fact['metadata'] = Object.freeze({ source: undefined, confidence: undefined });

/**
 * evolve never throws: an event it does not know is kept as a plain fact, so a replay
 * survives new types. Corrections and retractions change the fact they target.
 */
export function evolve(state: StreamState, event: NewEvent & { revision?: number }): StreamState {
  const revision = event.revision ?? state.revision + 1;
  let facts = state.facts;
  if (event.type === 'CorrectionRecorded') {
    const { targetEventId, changes } = event.data as { targetEventId: string; changes: FieldChangeLike[] };
    facts = facts.map((f) =>
      f.eventId === targetEventId
        ? { ...applyChanges(f, changes ?? []), correctedBy: [...f.correctedBy, event.eventId] }
        : f,
    );
  } else if (event.type === 'EventRetracted') {
    const { targetEventId } = event.data as { targetEventId: string };
    facts = facts.map((f) => (f.eventId === targetEventId ? { ...f, retracted: true } : f));
  }
  const fact: Fact = {
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    occurredAt: event.occurredAt,
    occurredAtPrecision: event.occurredAtPrecision,
    metadata:
      event.metadata.source === undefined && event.metadata.confidence === undefined
        ? NO_PROVENANCE
        : { source: event.metadata.source, confidence: event.metadata.confidence },
    retracted: false,
    correctedBy: NO_CORRECTIONS,
  };
  return { streamId: state.streamId, revision, facts: [...facts, fact] };
}

export function foldStream(streamId: string, events: Iterable<NewEvent & { revision?: number }>): StreamState {
  let state = emptyStream(streamId);
  for (const e of events) state = evolve(state, e);
  return state;
}
