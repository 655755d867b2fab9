import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseOfficialList, ProjectionsService, type OfficialView, type Page } from '@ledger/projections';
import type { FastifyReply } from 'fastify';
import { Roles } from '../http/auth/roles.decorator';
import { SlugPipe } from '../writes/slug.pipe';
import { awaitProjections, found, pointInTime, read } from './query-context';

@ApiTags('queries')
@Roles('analyst')
@Controller('v1/officials')
export class OfficialsController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @ApiOperation({ summary: 'Officials: filter by party, organization, boycotted=<meetingId>, q (name); sort id, name, statementCount, lastActivityAt' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<Page<OfficialView>> {
    const params = parseOfficialList(query);
    await awaitProjections(this.projections, ['officials'], query, reply);
    return read(() => this.projections.queries.listOfficials(params));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One official with their boycotts and newest statements; asOf/knownAt for a past view' })
  async get(@Param('id', SlugPipe) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    const at = pointInTime(query);
    if (at) {
      await awaitProjections(this.projections, ['timeline'], query, reply);
      return found(await read(() => this.projections.pointInTime.official(id, at)), 'OFFICIAL.NOT_FOUND', 'official', id);
    }
    await awaitProjections(this.projections, ['officials', 'statements'], query, reply);
    return found(await read(() => this.projections.queries.getOfficial(id)), 'OFFICIAL.NOT_FOUND', 'official', id);
  }
}
