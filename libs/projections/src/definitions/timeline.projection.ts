import type { EventEnvelope } from '@ledger/domain';
import { streamEntity } from '../core/stream-ids';
import { millisOf } from '../core/stream-facts';
import type { AppendProjection } from '../core/projection';
import { big, text, type TableSpec } from '../core/table-spec';

export const TIMELINE_TABLE: TableSpec = {
  name: 'timeline',
  keyColumn: 'position',
  primaryKey: ['position'],
  columns: [
    big('position'),
    text('event_id'),
    text('type'),
    text('stream_id'),
    text('occurred_at'),
    big('occurred_sort'),
    text('recorded_at'),
    big('recorded_sort'),
  ],
  // By position (the key) and by type; an event by id is the store's getEvent.
  indexes: [{ name: 'type', columns: ['type', 'position'] }],
};

/** Every entity an event concerns, plus `event:<id>` links from a fix to its target. */
export const TIMELINE_REFS_TABLE: TableSpec = {
  name: 'timeline_refs',
  keyColumn: 'position',
  // No key of its own: rows are only ever appended, once per event (the timeline's key
  // guards that), and the one index is built after a rebuild rather than during it.
  primaryKey: [],
  columns: [text('ref'), big('position')],
  indexes: [{ name: 'ref', columns: ['ref', 'position'] }],
};

const ACTOR_OR_MEETING = /^(jurisdiction|official|organization|meeting):[a-z0-9]+(-[a-z0-9]+)*$/;
const EVENT_REF = /^event:[0-9a-f-]{36}$/;
/** Fields that hold a bare id of a known kind rather than a reference. */
const ID_FIELDS: ReadonlyMap<string, string> = new Map([
  ['meetingId', 'meeting'],
  ['jurisdictionId', 'jurisdiction'],
  ['organization', 'organization'],
  ['parentId', 'organization'],
]);

/**
 * The references of one event: its own stream's entity, every actor reference in its data
 * (`from`, `by`, `host`, `signedBy`, `onBehalfOf`, `about[]`, `invitees[]`) and the ids of
 * known kinds (`meetingId`, `jurisdictionId`, an official's `organization`).
 */
export function refsOf(event: Pick<EventEnvelope, 'streamId' | 'data'>): string[] {
  return collectRefs(event, []);
}

/** A reference holds a colon after its kind (`event:` … `jurisdiction:`): cheaper to look for than to run both patterns on every string. */
function isRef(value: string): boolean {
  const colon = value.indexOf(':');
  return colon >= 5 && colon <= 12 && (ACTOR_OR_MEETING.test(value) || EVENT_REF.test(value));
}

/** Adds the event's references to `refs` (in order, once each) and returns it. */
function collectRefs(event: Pick<EventEnvelope, 'streamId' | 'data'>, refs: string[]): string[] {
  const add = (ref: string) => {
    if (!refs.includes(ref)) refs.push(ref);
  };
  const own = streamEntity(event.streamId);
  if (own) add(own.ref);
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (isRef(value)) add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    }
  };
  const data = event.data ?? {};
  for (const key of Object.keys(data)) {
    const value = data[key];
    const kind = ID_FIELDS.get(key);
    if (kind !== undefined && typeof value === 'string') add(`${kind}:${value}`);
    else visit(value);
  }
  return refs;
}

function sortTime(iso: string): number {
  const t = millisOf(iso);
  return Number.isFinite(t) ? t : 0;
}

function recordTime(iso: string): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
}

/** The index auditors filter the log by (the audit area serves it as GET /v1/timeline). */
export const timelineProjection: AppendProjection = {
  kind: 'append',
  name: 'timeline',
  version: 2,
  handles: 'all',
  tables: [TIMELINE_TABLE, TIMELINE_REFS_TABLE],
  rows(event, ctx) {
    const refs = collectRefs(event, []);
    if (event.type === 'CorrectionRecorded' || event.type === 'EventRetracted') {
      const target = `event:${String(event.data.targetEventId)}`;
      if (!refs.includes(target)) refs.push(target);
      for (const fixed of [ctx.target, ctx.root]) if (fixed) collectRefs(fixed, refs);
    }
    return {
      timeline: [
        {
          position: event.position,
          event_id: event.eventId,
          type: event.type,
          stream_id: event.streamId,
          occurred_at: event.occurredAt,
          occurred_sort: sortTime(event.occurredAt),
          recorded_at: event.recordedAt,
          recorded_sort: recordTime(event.recordedAt),
        },
      ],
      timeline_refs: refs.map((ref) => ({ ref, position: event.position })),
    };
  },
};
