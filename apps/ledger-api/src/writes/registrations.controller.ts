import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { streamIdFor } from '@ledger/domain';
import { Roles } from '../http/auth/roles.decorator';
import { SlugPipe } from './slug.pipe';
import { Write, type WriteContext } from './write-context.decorator';
import {
  MeetingHeldBody,
  RegisterJurisdictionBody,
  RegisterOfficialBody,
  RegisterOrganizationBody,
  ScheduleMeetingBody,
} from './write-dtos';
import { WriteService } from './write.service';

@ApiTags('record')
@Roles('recorder')
@Controller('v1')
export class RegistrationsController {
  constructor(private readonly writes: WriteService) {}

  @Post('jurisdictions')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a jurisdiction (JurisdictionRegistered)' })
  registerJurisdiction(@Body() body: RegisterJurisdictionBody, @Write() ctx: WriteContext) {
    return this.writes.write('JurisdictionRegistered', streamIdFor('jurisdiction', body.id), body, ctx);
  }

  @Post('organizations')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register an organization (OrganizationRegistered)' })
  registerOrganization(@Body() body: RegisterOrganizationBody, @Write() ctx: WriteContext) {
    return this.writes.write('OrganizationRegistered', streamIdFor('organization', body.id), body, ctx);
  }

  @Post('officials')
  @HttpCode(201)
  @ApiOperation({ summary: 'Register an official (OfficialRegistered)' })
  registerOfficial(@Body() body: RegisterOfficialBody, @Write() ctx: WriteContext) {
    return this.writes.write('OfficialRegistered', streamIdFor('official', body.id), body, ctx);
  }

  @Post('meetings')
  @HttpCode(201)
  @ApiOperation({ summary: 'Schedule a meeting (MeetingScheduled)' })
  scheduleMeeting(@Body() body: ScheduleMeetingBody, @Write() ctx: WriteContext) {
    return this.writes.write('MeetingScheduled', streamIdFor('meeting', body.id), body, ctx);
  }

  @Post('meetings/:id/held')
  @HttpCode(201)
  @ApiOperation({ summary: 'Record that a meeting took place (MeetingHeld)' })
  meetingHeld(@Param('id', SlugPipe) id: string, @Body() body: MeetingHeldBody, @Write() ctx: WriteContext) {
    return this.writes.write('MeetingHeld', streamIdFor('meeting', id), body, ctx);
  }
}
