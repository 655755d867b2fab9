import type { EventEnvelope, NewEvent } from '@ledger/domain';
import type { Observable } from 'rxjs';

/** DI token for the port. Adapters are chosen in EventStoreModule.forRoot(). */
export const EVENT_STORE = Symbol('EVENT_STORE');

export type ExpectedRevision = 'any' | 'no-stream' | 'exists' | number;

/** Before the first event: `readAll({ after: BEFORE_FIRST })` reads everything. */
export const BEFORE_FIRST = -1;

export interface AppendOptions {
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event appended (or of the original, for an idempotent repeat). */
  revision: number;
  /** Global position of the last event appended. */
  position: number;
  /** The stored envelopes, with hashes. */
  events: EventEnvelope[];
  /** True when every event was a repeat of an earlier append and nothing was stored. */
  idempotent: boolean;
}

export interface AppendRequest {
  streamId: string;
  events: NewEvent[];
  expectedRevision?: ExpectedRevision;
}

export interface ReadStreamOptions {
  direction?: 'forwards' | 'backwards';
  /** Inclusive start revision (default: first, or last when backwards). */
  fromRevision?: number;
  limit?: number;
}

export interface EventFilter {
  /** Only these types. */
  types?: readonly string[];
  /** Only streams whose id starts with one of these (`jurisdiction-`). */
  streamPrefixes?: readonly string[];
}

export interface ReadAllOptions extends EventFilter {
  /** Exclusive: events with a position greater than this. Default BEFORE_FIRST. */
  after?: number;
  limit?: number;
}

/**
 * The one way into the log. Positions are strictly increasing and comparable but have
 * gaps: never compute `position + 1`.
 */
export interface EventStore {
  /** Appends atomically to one stream; throws RevisionConflictError or EventIdReusedError. */
  append(streamId: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to several streams. With `atomic`, all or none commit (SQLite: one
   * transaction); adapters that cannot promise it say so in `capabilities.atomicMultiStream`.
   */
  appendMany(requests: AppendRequest[], options?: { atomic?: boolean }): Promise<AppendResult[]>;
  readStream(streamId: string, options?: ReadStreamOptions): Promise<EventEnvelope[]>;
  /** The stream's last revision, or -1 when it has no events: the cheap "has it moved?" check. */
  streamRevision(streamId: string): Promise<number>;
  /** One page of the global log in position order. Loop with `after` = last position. */
  readAll(options?: ReadAllOptions): Promise<EventEnvelope[]>;
  /** Catches up from `after`, then follows live appends; no gap, no duplicate at the switch. */
  subscribe(after: number, filter?: EventFilter): Observable<EventEnvelope>;
  getEvent(eventId: string): Promise<EventEnvelope | null>;
  /** Position of the newest event, or BEFORE_FIRST on an empty log. */
  headPosition(): Promise<number>;
  readonly capabilities: { atomicMultiStream: boolean; name: string };
  close(): Promise<void>;
}

/** Every page of readAll as one async stream (constant memory). */
export async function* iterateAll(store: EventStore, options: ReadAllOptions & { pageSize?: number } = {}): AsyncGenerator<EventEnvelope> {
  const { pageSize = 1000, ...filter } = options;
  let after = options.after ?? BEFORE_FIRST;
  for (;;) {
    const page = await store.readAll({ ...filter, after, limit: pageSize });
    for (const event of page) yield event;
    if (page.length < pageSize) return;
    after = page[page.length - 1].position;
  }
}

export function matchesFilter(event: Pick<EventEnvelope, 'type' | 'streamId'>, filter: EventFilter = {}): boolean {
  if (filter.types?.length && !filter.types.includes(event.type)) return false;
  if (filter.streamPrefixes?.length && !filter.streamPrefixes.some((p) => event.streamId.startsWith(p))) return false;
  return true;
}
