import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { streamIdFor } from '@ledger/domain';
import { Roles } from '../http/auth/roles.decorator';
import { SlugPipe } from './slug.pipe';
import { Write, type WriteContext } from './write-context.decorator';
import { DeclareBoycottBody, IssueStatementBody } from './write-dtos';
import { WriteService } from './write.service';

/** Statements and boycotts, recorded in the speaker's stream. */
@ApiTags('record')
@Roles('recorder')
@Controller('v1')
export class SpeechController {
  constructor(private readonly writes: WriteService) {}

  @Post('officials/:id/statements')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a statement by an official (StatementIssued)' })
  officialStatement(@Param('id', SlugPipe) id: string, @Body() body: IssueStatementBody, @Write() ctx: WriteContext) {
    return this.writes.write('StatementIssued', streamIdFor('official', id), body, ctx);
  }

  @Post('organizations/:id/statements')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a statement by an organization (StatementIssued)' })
  organizationStatement(@Param('id', SlugPipe) id: string, @Body() body: IssueStatementBody, @Write() ctx: WriteContext) {
    return this.writes.write('StatementIssued', streamIdFor('organization', id), body, ctx);
  }

  @Post('officials/:id/boycotts')
  @HttpCode(201)
  @ApiOperation({ summary: "Record an official's boycott of (or absence from) a meeting (BoycottDeclared)" })
  boycott(@Param('id', SlugPipe) id: string, @Body() body: DeclareBoycottBody, @Write() ctx: WriteContext) {
    return this.writes.write('BoycottDeclared', streamIdFor('official', id), body, ctx);
  }
}
