import { FIX_TYPES, type KeyedProjection } from '../core/projection';
import { emptyStreamFacts, evolveStreamFacts, routeByStream, type FieldPicks, type StreamFacts } from '../core/stream-facts';
import { big, int, text, type TableSpec } from '../core/table-spec';
import { deriveMeeting } from '../views/meeting.view';

const PICKS: FieldPicks = {
  MeetingScheduled: ['title', 'host', 'scheduledFor', 'location', 'invitees'],
  MeetingHeld: ['location', 'notes'],
};

export const MEETINGS_TABLE: TableSpec = {
  name: 'meetings',
  keyColumn: 'id',
  primaryKey: ['id'],
  columns: [
    text('id'),
    text('title', true),
    text('host', true),
    text('scheduled_for', true),
    int('held'),
    int('registered'),
    int('corrected'),
    big('position'),
    text('facts'),
  ],
};

/** The meeting itself; its boycotts are the `boycotts` projection (they live in officials' streams). */
export const meetingsProjection: KeyedProjection<StreamFacts> = {
  kind: 'keyed',
  name: 'meetings',
  version: 1,
  handles: [...Object.keys(PICKS), ...FIX_TYPES],
  tables: [MEETINGS_TABLE],
  route: routeByStream('meeting'),
  initial: emptyStreamFacts,
  evolve: (state, event) => evolveStreamFacts(state, event, PICKS),
  rows(key, state) {
    const { base, registered } = deriveMeeting(state);
    return {
      meetings: [
        {
          id: key,
          title: base.title,
          host: base.host,
          scheduled_for: base.scheduledFor,
          held: base.held ? 1 : 0,
          registered: registered ? 1 : 0,
          corrected: base.corrected ? 1 : 0,
          position: state.position,
          facts: JSON.stringify(state),
        },
      ],
    };
  },
};
