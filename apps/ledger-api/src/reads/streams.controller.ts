import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LedgerError, ValidationFailed, type EventEnvelope } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { Roles } from '../http/auth/roles.decorator';
import { UuidPipe } from '../writes/slug.pipe';

const STREAM_ID = /^(jurisdiction|official|organization|meeting|webhook)-[a-z0-9]+(-[a-z0-9]+)*$/;
const MAX_LIMIT = 1000;

/** The raw log, as auditors read it. */
@ApiTags('audit')
@Roles('auditor')
@Controller('v1')
export class StreamsController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('streams/:streamId')
  @ApiOperation({ summary: "A stream's events with their hash chain (fromRevision, limit ≤ 1000, direction)" })
  async stream(@Param('streamId') streamId: string, @Query() query: Record<string, string>): Promise<{ streamId: string; events: EventEnvelope[] }> {
    if (!STREAM_ID.test(streamId)) {
      throw new ValidationFailed([{ field: 'streamId', reasons: ['streamId must look like jurisdiction-chicago-il'] }]);
    }
    const { fromRevision, limit, direction } = parseStreamQuery(query);
    const events = await this.store.readStream(streamId, { fromRevision, limit, direction });
    if (events.length === 0 && (await this.store.readStream(streamId, { limit: 1 })).length === 0) {
      throw new LedgerError('STREAM.NOT_FOUND', `No stream ${streamId}.`, { streamId });
    }
    return { streamId, events };
  }

  @Get('events/:eventId')
  @ApiOperation({ summary: 'One event by id' })
  async event(@Param('eventId', UuidPipe) eventId: string): Promise<EventEnvelope> {
    const event = await this.store.getEvent(eventId);
    if (!event) throw new LedgerError('EVENT.NOT_FOUND', `No event has id ${eventId}.`, { eventId });
    return event;
  }
}

function parseStreamQuery(query: Record<string, string>) {
  const errors: { field: string; reasons: string[] }[] = [];
  const known = ['fromRevision', 'limit', 'direction'];
  for (const key of Object.keys(query)) if (!known.includes(key)) errors.push({ field: key, reasons: [`${key} is not a known parameter`] });
  const int = (name: string, min: number, max: number) => {
    if (query[name] === undefined) return undefined;
    const n = Number(query[name]);
    if (!/^\d+$/.test(query[name]) || n < min || n > max) errors.push({ field: name, reasons: [`${name} must be an integer from ${min} to ${max}`] });
    return n;
  };
  const fromRevision = int('fromRevision', 0, Number.MAX_SAFE_INTEGER);
  const limit = int('limit', 1, MAX_LIMIT) ?? MAX_LIMIT;
  const direction = query.direction ?? 'forwards';
  if (direction !== 'forwards' && direction !== 'backwards') errors.push({ field: 'direction', reasons: ['direction must be forwards or backwards'] });
  if (errors.length) throw new ValidationFailed(errors);
  return { fromRevision, limit, direction: direction as 'forwards' | 'backwards' };
}
