import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { encodeCursor, readTimeline, TIMELINE_SOURCE, type TimelineItem, type TimelineSource } from '@ledger/audit';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { Roles } from '../http/auth/roles.decorator';
import { ApiLogFilters, LOG_FILTER_PARAMS, readLogFilter } from './log-filter.query';
import { QueryReader } from './query-reader';

/** The log in position order, filtered, with corrections and retractions linked both ways. */
@ApiTags('audit')
@Roles('auditor')
@Controller('v1/timeline')
export class TimelineController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(TIMELINE_SOURCE) private readonly source: TimelineSource,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'Events in position order: jurisdiction, actor, type, streamId, occurredFrom/occurredTo (valid time), ' +
      'recordedFrom/recordedTo (record time); limit ≤ 500, cursor. Each item is the envelope plus links.',
  })
  @ApiLogFilters()
  @ApiQuery({ name: 'limit', required: false, description: 'Events per page, 1–500 (default 50)' })
  @ApiQuery({ name: 'cursor', required: false, description: 'nextCursor of the previous page' })
  async timeline(@Query() query: Record<string, unknown>): Promise<{ items: TimelineItem[]; nextCursor: string | null }> {
    const q = new QueryReader(query, ['limit', 'cursor', ...LOG_FILTER_PARAMS]);
    const limit = q.int('limit', 1, 500) ?? 50;
    const after = q.cursor();
    const filter = readLogFilter(q);
    q.done();
    const page = await readTimeline(this.store, this.source, filter, { after, limit });
    return { items: page.items, nextCursor: page.nextAfter === null ? null : encodeCursor(page.nextAfter) };
  }
}
