import type { EntityKind } from '../ids';
import { CorrectionRecordedData, EventRetractedData } from './record-fix.events';
import {
  DeadlineLapsedData,
  DeadlineSetData,
  FundingThreatenedData,
  LetterSentData,
  ResponseReceivedData,
  SubpoenaIssuedData,
  SubpoenaThreatenedData,
} from './jurisdiction.events';
import {
  JurisdictionRegisteredData,
  MeetingHeldData,
  MeetingScheduledData,
  OfficialRegisteredData,
  OrganizationRegisteredData,
} from './registration.events';
import { BoycottDeclaredData, StatementIssuedData } from './speech.events';
import {
  WebhookDeletedData,
  WebhookSecretRotatedData,
  WebhookSubscribedData,
  WebhookUpdatedData,
} from './webhook.events';

type DataClass = new () => object;

export interface EventTypeSpec {
  /** The class whose class-validator decorators are the type's schema. */
  readonly schema: DataClass;
  /** The stream kinds this type may be appended to. `any` for corrections and retractions. */
  readonly streams: readonly EntityKind[] | 'any';
  /** Registration events open a stream; they take no `occurredAt`/`source` requirement. */
  readonly registration: boolean;
  /** Appended by the ledger itself, never by a recorder. */
  readonly system: boolean;
  readonly schemaVersion: number;
}

const spec = (
  schema: DataClass,
  streams: readonly EntityKind[] | 'any',
  flags: Partial<Pick<EventTypeSpec, 'registration' | 'system'>> = {},
): EventTypeSpec => ({ schema, streams, registration: false, system: false, schemaVersion: 1, ...flags });

/**
 * The catalogue. Never change a stored type: add a version and an upcaster.
 * Keys are the event `type` strings.
 */
export const EVENT_CATALOGUE = {
  JurisdictionRegistered: spec(JurisdictionRegisteredData, ['jurisdiction'], { registration: true }),
  OrganizationRegistered: spec(OrganizationRegisteredData, ['organization'], { registration: true }),
  OfficialRegistered: spec(OfficialRegisteredData, ['official'], { registration: true }),
  MeetingScheduled: spec(MeetingScheduledData, ['meeting'], { registration: true }),
  MeetingHeld: spec(MeetingHeldData, ['meeting']),
  LetterSent: spec(LetterSentData, ['jurisdiction']),
  DeadlineSet: spec(DeadlineSetData, ['jurisdiction']),
  ResponseReceived: spec(ResponseReceivedData, ['jurisdiction']),
  DeadlineLapsed: spec(DeadlineLapsedData, ['jurisdiction'], { system: true }),
  SubpoenaThreatened: spec(SubpoenaThreatenedData, ['jurisdiction']),
  SubpoenaIssued: spec(SubpoenaIssuedData, ['jurisdiction']),
  FundingThreatened: spec(FundingThreatenedData, ['jurisdiction']),
  StatementIssued: spec(StatementIssuedData, ['official', 'organization']),
  BoycottDeclared: spec(BoycottDeclaredData, ['official']),
  CorrectionRecorded: spec(CorrectionRecordedData, 'any'),
  EventRetracted: spec(EventRetractedData, 'any'),
  WebhookSubscribed: spec(WebhookSubscribedData, ['webhook'], { registration: true, system: true }),
  WebhookUpdated: spec(WebhookUpdatedData, ['webhook'], { system: true }),
  WebhookSecretRotated: spec(WebhookSecretRotatedData, ['webhook'], { system: true }),
  WebhookDeleted: spec(WebhookDeletedData, ['webhook'], { system: true }),
} as const satisfies Record<string, EventTypeSpec>;

export type EventType = keyof typeof EVENT_CATALOGUE;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as EventType[];

/** The data shape of each type, for typed code (`EventData<'LetterSent'>`). */
export type EventData<T extends EventType> = InstanceType<(typeof EVENT_CATALOGUE)[T]['schema']>;

export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, type);
}

export function eventSpec(type: EventType): EventTypeSpec {
  return EVENT_CATALOGUE[type];
}

/** Types recorders send (not the ledger's own bookkeeping). */
export const RECORDABLE_EVENT_TYPES = EVENT_TYPES.filter((t) => !EVENT_CATALOGUE[t].system);
