import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { LedgerError } from '@ledger/domain';
import { ProjectionsService } from '@ledger/projections';
import { Roles } from '../http/auth/roles.decorator';

/** Operators: what each projection has read, and rebuilds on demand. */
@ApiTags('operations')
@Roles('admin')
@Controller('v1/admin/projections')
export class ProjectionsAdminController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @ApiOperation({ summary: 'Each projection: version in use and in code, position, rebuild in progress' })
  async status() {
    return { items: await this.projections.status() };
  }

  @Post(':name/rebuild')
  @HttpCode(202)
  @ApiOperation({ summary: 'Rebuild one projection (or `all`) from the first event into shadow tables, then swap; queries keep reading the old tables' })
  async rebuild(@Param('name') name: string) {
    const known = this.projections.projections.map((p) => p.name);
    if (name !== 'all' && !known.includes(name)) {
      throw new LedgerError('PROJECTION.NOT_FOUND', `No projection is named ${name}; known: all, ${known.join(', ')}.`, { name });
    }
    const requested = await this.projections.requestRebuild(name === 'all' ? known : [name]);
    return { requested, status: '/v1/admin/projections' };
  }
}
