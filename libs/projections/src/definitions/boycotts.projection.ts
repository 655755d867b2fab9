import { occurredAtMillis } from '@ledger/domain';
import { emptyEventFacts, evolveEventFacts, routeEventKeyed, type EventFacts } from '../core/event-facts';
import { FIX_TYPES, type KeyedProjection } from '../core/projection';
import { big, int, text, type TableSpec } from '../core/table-spec';
import { boycottView } from '../views/boycott.view';

const FIELDS = ['meetingId', 'reason', 'form'];

export const BOYCOTTS_TABLE: TableSpec = {
  name: 'boycotts',
  keyColumn: 'event_id',
  primaryKey: ['event_id'],
  columns: [
    text('event_id'),
    text('official_id'),
    text('meeting_id', true),
    text('occurred_at', true),
    big('occurred_sort'),
    int('retracted'),
    int('corrected'),
    big('position'),
    text('facts'),
  ],
  indexes: [{ name: 'meeting', columns: ['meeting_id', 'official_id'] }],
};

/** One row per boycott, so that a meeting finds its boycotts (they live in officials' streams). */
export const boycottsProjection: KeyedProjection<EventFacts> = {
  kind: 'keyed',
  name: 'boycotts',
  version: 1,
  handles: ['BoycottDeclared', ...FIX_TYPES],
  tables: [BOYCOTTS_TABLE],
  route: routeEventKeyed('BoycottDeclared'),
  initial: emptyEventFacts,
  evolve: (state, event) => evolveEventFacts(state, event, 'BoycottDeclared', FIELDS),
  rows(key, state) {
    if (!state.entry) return null;
    const view = boycottView(state);
    const t = view ? occurredAtMillis(view.at) : NaN;
    return {
      boycotts: [
        {
          event_id: key,
          official_id: (state.owner ?? '').replace(/^official:/, ''),
          meeting_id: view?.meetingId ?? null,
          occurred_at: view?.at ?? null,
          occurred_sort: Number.isFinite(t) ? t : 0,
          retracted: view ? 0 : 1,
          corrected: view?.corrected ? 1 : 0,
          position: state.position,
          facts: JSON.stringify(state),
        },
      ],
    };
  },
};
