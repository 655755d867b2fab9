import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { parseJurisdictionList, ProjectionsService } from '@ledger/projections';
import type { FastifyReply } from 'fastify';
import { Roles } from '../http/auth/roles.decorator';
import { SlugPipe } from '../writes/slug.pipe';
import { awaitProjections, found, pointInTime, read, sendJson } from './query-context';

@ApiTags('queries')
@Roles('analyst')
@Controller('v1/jurisdictions')
export class JurisdictionsController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @ApiOperation({ summary: 'Jurisdictions: filter by state, kind, status, threatened=subpoena|funding, q (name); sort; cursor pages (limit ≤ 500)' })
  @ApiQuery({ name: 'sort', required: false, description: 'id, name, state, status, lettersReceived, lastActivityAt, nextDeadlineAt; prefix - to reverse' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const params = parseJurisdictionList(query);
    await awaitProjections(this.projections, ['jurisdictions'], query, reply);
    return sendJson(reply, await read(() => this.projections.queries.listJurisdictionsJson(params)));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One jurisdiction with its letters, deadlines, threats and the statements about it; asOf/knownAt for a past view' })
  async get(@Param('id', SlugPipe) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    const at = pointInTime(query);
    if (at) {
      await awaitProjections(this.projections, ['timeline'], query, reply);
      return found(await read(() => this.projections.pointInTime.jurisdiction(id, at)), 'JURISDICTION.NOT_FOUND', 'jurisdiction', id);
    }
    const position = await awaitProjections(this.projections, ['jurisdictions', 'statements'], query, reply);
    const json = await read(() => this.projections.views.get(`jurisdiction:${id}`, position, () => this.projections.queries.getJurisdictionJson(id)));
    return sendJson(reply, found(json, 'JURISDICTION.NOT_FOUND', 'jurisdiction', id));
  }
}
