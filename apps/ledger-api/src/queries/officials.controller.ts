import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { parseOfficialList, ProjectionsService } from '@ledger/projections';
import type { FastifyReply } from 'fastify';
import { Roles } from '../http/auth/roles.decorator';
import { SlugPipe } from '../writes/slug.pipe';
import { awaitProjections, found, pointInTime, read, sendJson } from './query-context';

@ApiTags('queries')
@Roles('analyst')
@Controller('v1/officials')
export class OfficialsController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @ApiOperation({ summary: 'Officials: filter by party, organization, boycotted=<meetingId>, q (name); sort id, name, statementCount, lastActivityAt' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const params = parseOfficialList(query);
    await awaitProjections(this.projections, ['officials'], query, reply);
    return sendJson(reply, await read(() => this.projections.queries.listOfficialsJson(params)));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One official with their boycotts and newest statements; asOf/knownAt for a past view' })
  async get(@Param('id', SlugPipe) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    const at = pointInTime(query);
    if (at) {
      await awaitProjections(this.projections, ['timeline'], query, reply);
      return found(await read(() => this.projections.pointInTime.official(id, at)), 'OFFICIAL.NOT_FOUND', 'official', id);
    }
    const position = await awaitProjections(this.projections, ['officials', 'statements'], query, reply);
    const json = await read(() => this.projections.views.get(`official:${id}`, position, () => this.projections.queries.getOfficialJson(id)));
    return sendJson(reply, found(json, 'OFFICIAL.NOT_FOUND', 'official', id));
  }
}
