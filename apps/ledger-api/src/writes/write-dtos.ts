import { IntersectionType } from '@nestjs/swagger';
import {
  ActionFields,
  BoycottDeclaredData,
  CorrectionRecordedData,
  DeadlineSetData,
  EventRetractedData,
  FundingThreatenedData,
  JurisdictionRegisteredData,
  LetterSentData,
  MeetingHeldData,
  MeetingScheduledData,
  OfficialRegisteredData,
  OrganizationRegisteredData,
  RecordFixFields,
  RegistrationFields,
  ResponseReceivedData,
  StatementIssuedData,
  SubpoenaIssuedData,
  SubpoenaThreatenedData,
} from '@ledger/domain';
import { OmitType } from '@nestjs/swagger';

/**
 * Request bodies: the event's data fields at the top level plus the envelope fields a
 * client may set. The schemas are the domain's; these classes only combine them.
 */
export class RegisterJurisdictionBody extends IntersectionType(JurisdictionRegisteredData, RegistrationFields) {}
export class RegisterOrganizationBody extends IntersectionType(OrganizationRegisteredData, RegistrationFields) {}
export class RegisterOfficialBody extends IntersectionType(OfficialRegisteredData, RegistrationFields) {}
export class ScheduleMeetingBody extends IntersectionType(MeetingScheduledData, RegistrationFields) {}
export class MeetingHeldBody extends IntersectionType(MeetingHeldData, ActionFields) {}
export class SendLetterBody extends IntersectionType(LetterSentData, ActionFields) {}
export class SetDeadlineBody extends IntersectionType(DeadlineSetData, ActionFields) {}
export class ReceiveResponseBody extends IntersectionType(ResponseReceivedData, ActionFields) {}
export class ThreatenSubpoenaBody extends IntersectionType(SubpoenaThreatenedData, ActionFields) {}
export class IssueSubpoenaBody extends IntersectionType(SubpoenaIssuedData, ActionFields) {}
export class ThreatenFundingBody extends IntersectionType(FundingThreatenedData, ActionFields) {}
export class IssueStatementBody extends IntersectionType(StatementIssuedData, ActionFields) {}
export class DeclareBoycottBody extends IntersectionType(BoycottDeclaredData, ActionFields) {}
export class RecordCorrectionBody extends IntersectionType(OmitType(CorrectionRecordedData, ['targetEventId'] as const), RecordFixFields) {}
export class RetractEventBody extends IntersectionType(OmitType(EventRetractedData, ['targetEventId'] as const), RecordFixFields) {}

/** What every write answers. */
export class WriteResponse {
  eventId!: string;
  type!: string;
  streamId!: string;
  revision!: number;
  position!: number;
  hash!: string;
}

/** For the OpenAPI document: each body is its data schema plus its envelope fields. */
export const BODY_SCHEMA_PARTS: Record<string, { data: string; fields: string; omit?: string[] }> = {
  RegisterJurisdictionBody: { data: 'JurisdictionRegisteredData', fields: 'RegistrationFields' },
  RegisterOrganizationBody: { data: 'OrganizationRegisteredData', fields: 'RegistrationFields' },
  RegisterOfficialBody: { data: 'OfficialRegisteredData', fields: 'RegistrationFields' },
  ScheduleMeetingBody: { data: 'MeetingScheduledData', fields: 'RegistrationFields' },
  MeetingHeldBody: { data: 'MeetingHeldData', fields: 'ActionFields' },
  SendLetterBody: { data: 'LetterSentData', fields: 'ActionFields' },
  SetDeadlineBody: { data: 'DeadlineSetData', fields: 'ActionFields' },
  ReceiveResponseBody: { data: 'ResponseReceivedData', fields: 'ActionFields' },
  ThreatenSubpoenaBody: { data: 'SubpoenaThreatenedData', fields: 'ActionFields' },
  IssueSubpoenaBody: { data: 'SubpoenaIssuedData', fields: 'ActionFields' },
  ThreatenFundingBody: { data: 'FundingThreatenedData', fields: 'ActionFields' },
  IssueStatementBody: { data: 'StatementIssuedData', fields: 'ActionFields' },
  DeclareBoycottBody: { data: 'BoycottDeclaredData', fields: 'ActionFields' },
  RecordCorrectionBody: { data: 'CorrectionRecordedData', fields: 'RecordFixFields', omit: ['targetEventId'] },
  RetractEventBody: { data: 'EventRetractedData', fields: 'RecordFixFields', omit: ['targetEventId'] },
};
