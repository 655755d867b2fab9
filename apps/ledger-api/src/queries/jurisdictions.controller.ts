import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { parseJurisdictionList, ProjectionsService, type JurisdictionView, type Page } from '@ledger/projections';
import type { FastifyReply } from 'fastify';
import { Roles } from '../http/auth/roles.decorator';
import { SlugPipe } from '../writes/slug.pipe';
import { awaitProjections, found, pointInTime, read } from './query-context';

@ApiTags('queries')
@Roles('analyst')
@Controller('v1/jurisdictions')
export class JurisdictionsController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @ApiOperation({ summary: 'Jurisdictions: filter by state, kind, status, threatened=subpoena|funding, q (name); sort; cursor pages (limit ≤ 500)' })
  @ApiQuery({ name: 'sort', required: false, description: 'id, name, state, status, lettersReceived, lastActivityAt, nextDeadlineAt; prefix - to reverse' })
  async list(@Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply): Promise<Page<JurisdictionView>> {
    const params = parseJurisdictionList(query);
    await awaitProjections(this.projections, ['jurisdictions'], query, reply);
    return read(() => this.projections.queries.listJurisdictions(params));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One jurisdiction with its letters, deadlines, threats and the statements about it; asOf/knownAt for a past view' })
  async get(@Param('id', SlugPipe) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) reply: FastifyReply) {
    const at = pointInTime(query);
    if (at) {
      await awaitProjections(this.projections, ['timeline'], query, reply);
      return found(await read(() => this.projections.pointInTime.jurisdiction(id, at)), 'JURISDICTION.NOT_FOUND', 'jurisdiction', id);
    }
    await awaitProjections(this.projections, ['jurisdictions', 'statements'], query, reply);
    return found(await read(() => this.projections.queries.getJurisdiction(id)), 'JURISDICTION.NOT_FOUND', 'jurisdiction', id);
  }
}
