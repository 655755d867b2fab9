import type { EventEnvelope } from '@ledger/domain';
import type { TableSpec } from './table-spec';

/**
 * What the runner tells evolve about a correction or retraction: the event it points at
 * (`target`) and, when that is itself a correction, the event at the end of the chain
 * (`root`). Resolved through the EventStore port, or from the list being folded in memory.
 */
export interface FoldContext {
  target?: EventEnvelope;
  root?: EventEnvelope;
}

/** A stored row: column name → value (strings, numbers, null; booleans as 0/1). */
export type Row = Record<string, string | number | null>;

/**
 * A projection that keeps one state per key (a jurisdiction, a statement, an event type)
 * and derives its rows from that state. `evolve` is pure, so the same code builds the
 * stored tables and the in-memory point-in-time views.
 */
export interface KeyedProjection<S = unknown> {
  readonly kind: 'keyed';
  readonly name: string;
  /** Bump when evolve or the tables change: the runner rebuilds into shadow tables and swaps. */
  readonly version: number;
  /** Event types this projection reads; everything else only advances its checkpoint. */
  readonly handles: readonly string[] | 'all';
  /** The first table is the main one: it holds the key column and the `facts` state column. */
  readonly tables: readonly TableSpec[];
  /** Keys of the states an event changes; `created`: the first key is new, nothing to load. */
  route(event: EventEnvelope, ctx: FoldContext): Route;
  initial(key: string): S;
  evolve(state: S, event: EventEnvelope, ctx: FoldContext): S;
  /** The rows a key's state stores, by logical table name. Null: the key has no rows. */
  rows(key: string, state: S): Record<string, Row[]> | null;
}

/** A projection whose rows depend on one event only (the timeline index). */
export interface AppendProjection {
  readonly kind: 'append';
  readonly name: string;
  readonly version: number;
  readonly handles: readonly string[] | 'all';
  readonly tables: readonly TableSpec[];
  rows(event: EventEnvelope, ctx: FoldContext): Record<string, Row[]>;
}

export type Projection = KeyedProjection<any> | AppendProjection; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Route {
  keys: string[];
  created?: boolean;
}

export const NO_ROUTE: Route = { keys: [] };

export function handlesEvent(projection: Projection, type: string): boolean {
  return projection.handles === 'all' || projection.handles.includes(type);
}

/** Fix events point at another event; the runner resolves it before routing. */
export const FIX_TYPES = ['CorrectionRecorded', 'EventRetracted'] as const;

export function isFix(event: Pick<EventEnvelope, 'type'>): boolean {
  return event.type === 'CorrectionRecorded' || event.type === 'EventRetracted';
}
