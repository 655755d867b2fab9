import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LedgerError } from '@ledger/domain';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { Roles } from '../http/auth/roles.decorator';
import { UuidPipe } from './slug.pipe';
import { Write, type WriteContext } from './write-context.decorator';
import { RecordCorrectionBody, RetractEventBody } from './write-dtos';
import { WriteService } from './write.service';

/** Nothing is edited: a mistake is fixed by a correction or retraction in the target's stream. */
@ApiTags('record')
@Roles('recorder')
@Controller('v1/events/:eventId')
export class RecordFixController {
  constructor(
    private readonly writes: WriteService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post('corrections')
  @HttpCode(201)
  @ApiOperation({ summary: 'Correct fields of an event (CorrectionRecorded)' })
  async correct(@Param('eventId', UuidPipe) eventId: string, @Body() body: RecordCorrectionBody, @Write() ctx: WriteContext) {
    const target = await this.target(eventId);
    return this.writes.write('CorrectionRecorded', target, body, ctx, { targetEventId: eventId });
  }

  @Post('retractions')
  @HttpCode(201)
  @ApiOperation({ summary: 'Retract an event (EventRetracted)' })
  async retract(@Param('eventId', UuidPipe) eventId: string, @Body() body: RetractEventBody, @Write() ctx: WriteContext) {
    const target = await this.target(eventId);
    return this.writes.write('EventRetracted', target, body, ctx, { targetEventId: eventId });
  }

  private async target(eventId: string): Promise<string> {
    const event = await this.store.getEvent(eventId);
    if (!event) throw new LedgerError('EVENT.NOT_FOUND', `No event has id ${eventId}.`, { eventId });
    return event.streamId;
  }
}
