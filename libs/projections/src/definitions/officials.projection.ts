import { FIX_TYPES, type KeyedProjection } from '../core/projection';
import { emptyStreamFacts, evolveStreamFacts, routeByStream, type FieldPicks, type StreamFacts } from '../core/stream-facts';
import { big, int, NO_TIME_EARLY, text, type TableSpec } from '../core/table-spec';
import { deriveOfficial } from '../views/official.view';

const PICKS: FieldPicks = {
  OfficialRegistered: ['name', 'title', 'organization', 'party', 'jurisdictionId'],
  StatementIssued: ['statementId'],
  BoycottDeclared: ['meetingId', 'reason', 'form'],
};

export const OFFICIALS_TABLE: TableSpec = {
  name: 'officials',
  keyColumn: 'id',
  primaryKey: ['id'],
  columns: [
    text('id'),
    text('name', true),
    text('name_key'),
    text('title', true),
    text('organization', true),
    text('party'),
    text('jurisdiction_id', true),
    int('statement_count'),
    int('boycott_count'),
    text('last_activity_at', true),
    big('last_activity_sort'),
    int('registered'),
    int('corrected'),
    big('position'),
    text('facts'),
    text('view'),
  ],
  indexes: [
    { name: 'name', columns: ['name_key', 'id'] },
    { name: 'party', columns: ['party', 'name_key', 'id'] },
    { name: 'org', columns: ['organization', 'name_key', 'id'] },
  ],
};

/** Which meetings each official boycotted: answers `?boycotted=<meetingId>`. */
export const OFFICIAL_BOYCOTTS_TABLE: TableSpec = {
  name: 'official_boycotts',
  keyColumn: 'official_id',
  primaryKey: ['official_id', 'event_id'],
  columns: [text('official_id'), text('event_id'), text('meeting_id')],
  indexes: [{ name: 'meeting', columns: ['meeting_id', 'official_id'] }],
};

export const officialsProjection: KeyedProjection<StreamFacts> = {
  kind: 'keyed',
  name: 'officials',
  version: 2,
  handles: [...Object.keys(PICKS), ...FIX_TYPES],
  tables: [OFFICIALS_TABLE, OFFICIAL_BOYCOTTS_TABLE],
  route: routeByStream('official'),
  initial: emptyStreamFacts,
  evolve: (state, event) => evolveStreamFacts(state, event, PICKS),
  rows(key, state) {
    const { view, registered, lastActivityMs } = deriveOfficial(state);
    return {
      officials: [
        {
          id: key,
          name: view.name,
          name_key: (view.name ?? key).toLowerCase(),
          title: view.title,
          organization: view.organization,
          party: view.party,
          jurisdiction_id: view.jurisdictionId,
          statement_count: view.statementCount,
          boycott_count: view.boycotts.length,
          last_activity_at: view.lastActivityAt,
          last_activity_sort: lastActivityMs ?? NO_TIME_EARLY,
          registered: registered ? 1 : 0,
          corrected: view.corrected ? 1 : 0,
          position: state.position,
          facts: JSON.stringify(state),
          view: JSON.stringify(view),
        },
      ],
      official_boycotts: view.boycotts.map((b) => ({ official_id: key, event_id: b.eventId, meeting_id: b.meetingId })),
    };
  },
};
