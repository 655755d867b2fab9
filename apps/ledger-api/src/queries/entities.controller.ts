import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectionsService } from '@ledger/projections';
import type { FastifyReply } from 'fastify';
import { Roles } from '../http/auth/roles.decorator';
import { SlugPipe } from '../writes/slug.pipe';
import { awaitProjections, found, pointInTime, read } from './query-context';

/** Organizations, meetings and the counts: single views. */
@ApiTags('queries')
@Roles('analyst')
@Controller('v1')
export class EntitiesController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get('organizations/:id')
  @ApiOperation({ summary: 'One organization with its officials and newest statements; asOf/knownAt for a past view' })
  async organization(@Param('id', SlugPipe) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    const at = pointInTime(query);
    if (at) {
      await awaitProjections(this.projections, ['timeline'], query, reply);
      return found(await read(() => this.projections.pointInTime.organization(id, at)), 'ORGANIZATION.NOT_FOUND', 'organization', id);
    }
    await awaitProjections(this.projections, ['organizations', 'officials', 'statements'], query, reply);
    return found(await read(() => this.projections.queries.getOrganization(id)), 'ORGANIZATION.NOT_FOUND', 'organization', id);
  }

  @Get('meetings/:id')
  @ApiOperation({ summary: 'One meeting with its boycotts by official and by party; asOf/knownAt for a past view' })
  async meeting(@Param('id', SlugPipe) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    const at = pointInTime(query);
    if (at) {
      await awaitProjections(this.projections, ['timeline'], query, reply);
      return found(await read(() => this.projections.pointInTime.meeting(id, at)), 'MEETING.NOT_FOUND', 'meeting', id);
    }
    await awaitProjections(this.projections, ['meetings', 'boycotts', 'officials'], query, reply);
    return found(await read(() => this.projections.queries.getMeeting(id)), 'MEETING.NOT_FOUND', 'meeting', id);
  }

  @Get('stats')
  @ApiOperation({ summary: 'Counts by event type, state, party and status; asOf/knownAt fold the whole log (audits)' })
  async stats(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    const at = pointInTime(query);
    if (at) {
      await awaitProjections(this.projections, ['timeline'], query, reply);
      return read(() => this.projections.pointInTime.stats(at));
    }
    await awaitProjections(this.projections, ['stats', 'jurisdictions', 'officials', 'organizations', 'meetings', 'statements', 'boycotts'], query, reply);
    return read(() => this.projections.queries.getStats());
  }
}
