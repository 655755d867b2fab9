import { FIX_TYPES, type KeyedProjection } from '../core/projection';
import { emptyStreamFacts, evolveStreamFacts, routeByStream, type FieldPicks, type StreamFacts } from '../core/stream-facts';
import { big, int, NO_TIME_EARLY, text, type TableSpec } from '../core/table-spec';
import { deriveOrganization } from '../views/organization.view';

const PICKS: FieldPicks = {
  OrganizationRegistered: ['name', 'level', 'parentId'],
  StatementIssued: ['statementId'],
};

export const ORGANIZATIONS_TABLE: TableSpec = {
  name: 'organizations',
  keyColumn: 'id',
  primaryKey: ['id'],
  columns: [
    text('id'),
    text('name', true),
    text('name_key'),
    text('level', true),
    text('parent_id', true),
    int('statement_count'),
    text('last_activity_at', true),
    big('last_activity_sort'),
    int('registered'),
    int('corrected'),
    big('position'),
    text('facts'),
  ],
  indexes: [{ name: 'name', columns: ['name_key', 'id'] }],
};

export const organizationsProjection: KeyedProjection<StreamFacts> = {
  kind: 'keyed',
  name: 'organizations',
  version: 1,
  handles: [...Object.keys(PICKS), ...FIX_TYPES],
  tables: [ORGANIZATIONS_TABLE],
  route: routeByStream('organization'),
  initial: emptyStreamFacts,
  evolve: (state, event) => evolveStreamFacts(state, event, PICKS),
  rows(key, state) {
    const { view, registered, lastActivityMs } = deriveOrganization(state);
    return {
      organizations: [
        {
          id: key,
          name: view.name,
          name_key: (view.name ?? key).toLowerCase(),
          level: view.level,
          parent_id: view.parentId,
          statement_count: view.statementCount,
          last_activity_at: view.lastActivityAt,
          last_activity_sort: lastActivityMs ?? NO_TIME_EARLY,
          registered: registered ? 1 : 0,
          corrected: view.corrected ? 1 : 0,
          position: state.position,
          facts: JSON.stringify(state),
        },
      ],
    };
  },
};
