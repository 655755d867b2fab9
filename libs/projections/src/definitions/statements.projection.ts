import { emptyEventFacts, evolveEventFacts, routeEventKeyed, type EventFacts } from '../core/event-facts';
import { FIX_TYPES, type KeyedProjection } from '../core/projection';
import { big, int, text, type TableSpec } from '../core/table-spec';
import { statementTime, statementView } from '../views/statement.view';

const FIELDS = ['statementId', 'channel', 'quote', 'about', 'stance', 'venue', 'onBehalfOf', 'claim'];

export const STATEMENTS_TABLE: TableSpec = {
  name: 'statements',
  keyColumn: 'event_id',
  primaryKey: ['event_id'],
  columns: [
    text('event_id'),
    text('speaker'),
    text('statement_id', true),
    text('channel', true),
    text('occurred_at', true),
    big('occurred_sort'),
    int('retracted'),
    int('corrected'),
    big('position'),
    text('facts'),
    text('view', true),
  ],
  indexes: [{ name: 'speaker', columns: ['speaker', 'occurred_sort', 'event_id'] }],
};

/** What each live statement is about (`jurisdiction:chicago-il`, `meeting:…`, `event:<uuid>`). */
export const STATEMENT_ABOUT_TABLE: TableSpec = {
  name: 'statement_about',
  keyColumn: 'event_id',
  primaryKey: ['event_id', 'ref'],
  columns: [text('event_id'), text('ref'), big('occurred_sort')],
  indexes: [{ name: 'ref', columns: ['ref', 'occurred_sort', 'event_id'] }],
};

/** One row per statement; statements live in the speaker's stream and are about anything. */
export const statementsProjection: KeyedProjection<EventFacts> = {
  kind: 'keyed',
  name: 'statements',
  version: 2,
  handles: ['StatementIssued', ...FIX_TYPES],
  tables: [STATEMENTS_TABLE, STATEMENT_ABOUT_TABLE],
  route: routeEventKeyed('StatementIssued'),
  initial: emptyEventFacts,
  evolve: (state, event) => evolveEventFacts(state, event, 'StatementIssued', FIELDS),
  rows(key, state) {
    if (!state.entry) return null;
    const view = statementView(state);
    const sort = view ? statementTime(view) : 0;
    return {
      statements: [
        {
          event_id: key,
          speaker: state.owner ?? '',
          statement_id: view?.statementId ?? null,
          channel: view?.channel ?? null,
          occurred_at: view?.at ?? null,
          occurred_sort: sort,
          retracted: view ? 0 : 1,
          corrected: view?.corrected ? 1 : 0,
          position: state.position,
          facts: JSON.stringify(state),
          view: view ? JSON.stringify(view) : null,
        },
      ],
      statement_about: (view?.about ?? []).map((ref) => ({ event_id: key, ref, occurred_sort: sort })),
    };
  },
};
