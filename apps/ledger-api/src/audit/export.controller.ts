import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import { EXPORT_CONTENT_TYPES, EXPORT_FORMATS, exportStream, isExportFormat } from '@ledger/audit';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import type { FastifyReply } from 'fastify';
import { Roles } from '../http/auth/roles.decorator';
import { ApiLogFilters, LOG_FILTER_PARAMS, readLogFilter } from './log-filter.query';
import { QueryReader } from './query-reader';

/** The log as a download, streamed page by page with backpressure. */
@ApiTags('audit')
@Roles('auditor')
@Controller('v1/export')
export class ExportController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @ApiProduces(...Object.values(EXPORT_CONTENT_TYPES))
  @ApiOperation({
    summary:
      'The whole log, or a filtered range, as NDJSON (full envelopes, verifiable offline) or CSV. ' +
      'format=ndjson|csv; afterPosition (exclusive), toPosition (inclusive); the timeline filters.',
  })
  @ApiQuery({ name: 'format', required: false, enum: EXPORT_FORMATS, description: 'ndjson (default): full envelopes, verifiable offline; csv' })
  @ApiQuery({ name: 'afterPosition', required: false, description: 'Only events after this position' })
  @ApiQuery({ name: 'toPosition', required: false, description: 'Only events up to this position' })
  @ApiLogFilters()
  export(@Query() query: Record<string, unknown>, @Res() reply: FastifyReply): FastifyReply {
    const q = new QueryReader(query, ['format', 'afterPosition', 'toPosition', ...LOG_FILTER_PARAMS]);
    const format = q.string('format') ?? 'ndjson';
    if (!isExportFormat(format)) q.fail('format', `format must be one of ${EXPORT_FORMATS.join(', ')}`);
    const filter = {
      ...readLogFilter(q),
      afterPosition: q.int('afterPosition', -1, Number.MAX_SAFE_INTEGER),
      toPosition: q.int('toPosition', 0, Number.MAX_SAFE_INTEGER),
    };
    q.done();
    const fmt = format as (typeof EXPORT_FORMATS)[number];
    return reply
      .header('content-type', EXPORT_CONTENT_TYPES[fmt])
      .header('content-disposition', `attachment; filename="ledger-export.${fmt}"`)
      .header('cache-control', 'no-store')
      .send(exportStream(this.store, { format: fmt, filter }));
  }
}
