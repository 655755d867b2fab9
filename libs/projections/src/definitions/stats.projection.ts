import type { KeyedProjection } from '../core/projection';
import { big, int, text, type TableSpec } from '../core/table-spec';

/** Per event type: every event recorded, and those still standing (not retracted). */
export interface TypeCount {
  type: string;
  position: number;
  total: number;
  live: number;
}

export const STATS_TYPES_TABLE: TableSpec = {
  name: 'stats_types',
  keyColumn: 'type',
  primaryKey: ['type'],
  columns: [text('type'), int('live'), int('total'), big('position'), text('facts')],
};

/**
 * Event counts by type. A retraction counts as an event of its own and takes its target
 * out of the live count. The counts by state, party and status are read from the
 * jurisdictions and officials rows, so they cannot drift from those views.
 */
export const statsProjection: KeyedProjection<TypeCount> = {
  kind: 'keyed',
  name: 'stats',
  version: 1,
  handles: 'all',
  tables: [STATS_TYPES_TABLE],
  route(event, ctx) {
    const keys = [event.type];
    if (event.type === 'EventRetracted' && ctx.target && ctx.target.type !== event.type) keys.push(ctx.target.type);
    return { keys };
  },
  initial: (type) => ({ type, position: -1, total: 0, live: 0 }),
  evolve(state, event, ctx) {
    if (state.type === event.type) return { ...state, position: event.position, total: state.total + 1, live: state.live + 1 };
    if (event.type === 'EventRetracted' && ctx.target?.type === state.type) return { ...state, position: event.position, live: state.live - 1 };
    return state;
  },
  rows: (key, state) => ({ stats_types: [{ type: key, live: state.live, total: state.total, position: state.position, facts: JSON.stringify(state) }] }),
};
