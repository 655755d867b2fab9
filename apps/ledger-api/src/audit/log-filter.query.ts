import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import type { LogFilter } from '@ledger/audit';
import { EVENT_TYPES, SLUG_PATTERN } from '@ledger/domain';
import type { QueryReader } from './query-reader';

export const LOG_FILTER_PARAMS = ['jurisdiction', 'actor', 'type', 'streamId', 'occurredFrom', 'occurredTo', 'recordedFrom', 'recordedTo'] as const;

const TYPE = new RegExp(`^(${EVENT_TYPES.join('|')})$`);
/** Actors, and meetings (an event naming a meeting concerns it). */
const REF = /^(jurisdiction|official|organization|meeting):[a-z0-9]+(-[a-z0-9]+)*$/;
const STREAM_ID = /^(jurisdiction|official|organization|meeting|webhook)-[a-z0-9]+(-[a-z0-9]+)*$/;

/** The filters the timeline and the export share. */
export function readLogFilter(q: QueryReader): LogFilter {
  return {
    jurisdiction: q.string('jurisdiction', { pattern: SLUG_PATTERN, message: 'jurisdiction must be a jurisdiction id like chicago-il' }),
    actor: q.string('actor', { pattern: REF, message: 'actor must be a reference like official:jeff-sessions or meeting:wh-mayors-2018-01-24' }),
    types: q.list('type', { pattern: TYPE, message: `type must be one or more of ${EVENT_TYPES.join(', ')}` }),
    streamId: q.string('streamId', { pattern: STREAM_ID, message: 'streamId must look like jurisdiction-chicago-il' }),
    occurredFrom: q.date('occurredFrom'),
    occurredTo: q.date('occurredTo'),
    recordedFrom: q.date('recordedFrom'),
    recordedTo: q.date('recordedTo'),
  };
}

/** OpenAPI descriptions of the shared filters. */
const LOG_FILTER_DOCS: { name: string; description: string }[] = [
  { name: 'jurisdiction', description: 'A jurisdiction id (chicago-il): its stream, and events naming it (a fix, when what it fixes does)' },
  { name: 'actor', description: 'A reference (official:jeff-sessions, organization:us-doj, meeting:…): its stream, and events naming it' },
  { name: 'type', description: 'Event types, comma-separated or repeated' },
  { name: 'streamId', description: 'One stream (jurisdiction-chicago-il)' },
  { name: 'occurredFrom', description: 'Valid time from (2018-01-24, or an instant with offset)' },
  { name: 'occurredTo', description: 'Valid time to, inclusive (a bare date covers its whole day)' },
  { name: 'recordedFrom', description: 'Record time from' },
  { name: 'recordedTo', description: 'Record time to, inclusive' },
];

/** Documents the shared filters on a route. */
export const ApiLogFilters = () => applyDecorators(...LOG_FILTER_DOCS.map((d) => ApiQuery({ ...d, required: false })));
