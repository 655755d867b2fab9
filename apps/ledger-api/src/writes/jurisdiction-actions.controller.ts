import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { streamIdFor } from '@ledger/domain';
import { Roles } from '../http/auth/roles.decorator';
import { SlugPipe } from './slug.pipe';
import { Write, type WriteContext } from './write-context.decorator';
import {
  IssueSubpoenaBody,
  ReceiveResponseBody,
  SendLetterBody,
  SetDeadlineBody,
  ThreatenFundingBody,
  ThreatenSubpoenaBody,
} from './write-dtos';
import { WriteService } from './write.service';

/** Actions recorded in a jurisdiction's stream. */
@ApiTags('record')
@Roles('recorder')
@Controller('v1/jurisdictions/:id')
export class JurisdictionActionsController {
  constructor(private readonly writes: WriteService) {}

  @Post('letters')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a letter sent to the jurisdiction (LetterSent)' })
  letter(@Param('id', SlugPipe) id: string, @Body() body: SendLetterBody, @Write() ctx: WriteContext) {
    return this.writes.write('LetterSent', streamIdFor('jurisdiction', id), body, ctx);
  }

  @Post('deadlines')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a deadline set by a letter (DeadlineSet)' })
  deadline(@Param('id', SlugPipe) id: string, @Body() body: SetDeadlineBody, @Write() ctx: WriteContext) {
    return this.writes.write('DeadlineSet', streamIdFor('jurisdiction', id), body, ctx);
  }

  @Post('responses')
  @HttpCode(201)
  @ApiOperation({ summary: "Record the jurisdiction's response to a letter (ResponseReceived)" })
  response(@Param('id', SlugPipe) id: string, @Body() body: ReceiveResponseBody, @Write() ctx: WriteContext) {
    return this.writes.write('ResponseReceived', streamIdFor('jurisdiction', id), body, ctx);
  }

  @Post('subpoena-threats')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a threatened subpoena (SubpoenaThreatened)' })
  subpoenaThreat(@Param('id', SlugPipe) id: string, @Body() body: ThreatenSubpoenaBody, @Write() ctx: WriteContext) {
    return this.writes.write('SubpoenaThreatened', streamIdFor('jurisdiction', id), body, ctx);
  }

  @Post('subpoenas')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record an issued subpoena (SubpoenaIssued)' })
  subpoena(@Param('id', SlugPipe) id: string, @Body() body: IssueSubpoenaBody, @Write() ctx: WriteContext) {
    return this.writes.write('SubpoenaIssued', streamIdFor('jurisdiction', id), body, ctx);
  }

  @Post('funding-threats')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record a threat to cut funding (FundingThreatened)' })
  fundingThreat(@Param('id', SlugPipe) id: string, @Body() body: ThreatenFundingBody, @Write() ctx: WriteContext) {
    return this.writes.write('FundingThreatened', streamIdFor('jurisdiction', id), body, ctx);
  }
}
