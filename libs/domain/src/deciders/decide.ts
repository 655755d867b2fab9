import type { NewEvent } from '../envelope';
import { occurredAtMillis } from '../envelope';
import { DomainRuleError, LedgerError } from '../errors';
import { EVENT_CATALOGUE, isEventType, type EventType } from '../events/catalogue';
import { parseStreamId, streamIdFor } from '../ids';
import type { StreamState } from '../stream-state';
import { decideJurisdiction } from './jurisdiction.decider';
import { decideMeeting } from './meeting.decider';
import { decideRecordFix } from './record-fix.decider';
import { decideRegistration } from './registration.decider';
import { decideSpeech } from './speech.decider';
import { decideWebhook } from './webhook.decider';

/** A proposed event for one stream: what a recorder asks the ledger to record. */
export interface Command extends NewEvent {
  streamId: string;
}

export interface DecisionContext {
  /** The command's own stream. */
  stream: StreamState;
  /** Other streams a rule needs (see relatedStreams), by stream id. */
  related: ReadonlyMap<string, StreamState>;
  /** The ledger's clock; nothing in the domain reads the system time. */
  now: Date;
}

/** The other streams decide() needs to see for this command. */
export function relatedStreams(command: Pick<Command, 'type' | 'data'>): string[] {
  if (command.type === 'BoycottDeclared') return [streamIdFor('meeting', String(command.data.meetingId))];
  return [];
}

/**
 * Checks the catalogue's rule for the command against the current state and returns the
 * events to append. Throws a DomainRuleError (422) or LedgerError (400) when it may not.
 */
export function decide(command: Command, ctx: DecisionContext): NewEvent[] {
  if (!isEventType(command.type)) {
    throw new LedgerError('EVENT.UNKNOWN_TYPE', `Unknown event type "${String(command.type)}".`);
  }
  checkStreamFits(command.type, command.streamId);
  const type: EventType = command.type;
  switch (type) {
    case 'JurisdictionRegistered':
    case 'OrganizationRegistered':
    case 'OfficialRegistered':
    case 'MeetingScheduled':
      return decideRegistration(type, command, ctx);
    case 'LetterSent':
    case 'DeadlineSet':
    case 'ResponseReceived':
    case 'DeadlineLapsed':
    case 'SubpoenaThreatened':
    case 'SubpoenaIssued':
    case 'FundingThreatened':
      return decideJurisdiction(type, command, ctx);
    case 'StatementIssued':
    case 'BoycottDeclared':
      return decideSpeech(type, command, ctx);
    case 'MeetingHeld':
      return decideMeeting(type, command, ctx);
    case 'CorrectionRecorded':
    case 'EventRetracted':
      return decideRecordFix(type, command, ctx);
    case 'WebhookSubscribed':
    case 'WebhookUpdated':
    case 'WebhookSecretRotated':
    case 'WebhookDeleted':
      return decideWebhook(type, command, ctx);
    default: {
      const never: never = type;
      throw new LedgerError('EVENT.UNKNOWN_TYPE', `Unknown event type "${String(never)}".`);
    }
  }
}

function checkStreamFits(type: EventType, streamId: string): void {
  const parsed = parseStreamId(streamId);
  const allowed = EVENT_CATALOGUE[type].streams;
  if (!parsed || (allowed !== 'any' && !allowed.includes(parsed.kind))) {
    throw new LedgerError('EVENT.BAD_STREAM', `${type} cannot be appended to stream "${streamId}".`, {
      streamId,
      allowed,
    });
  }
}

/** The event exactly as proposed: most rules accept or refuse, they do not transform. */
export function accept(command: Command): NewEvent[] {
  const { streamId: _streamId, ...event } = command;
  return [event];
}

export function rule(condition: boolean, code: string, message: string, details: Record<string, unknown> = {}): void {
  if (!condition) throw new DomainRuleError(code, message, details);
}

/** End of the period a date names: a day-precision `dueAt` lasts the whole day (UTC). */
export function periodEndMillis(date: string): number {
  return date.includes('T') ? occurredAtMillis(date) : occurredAtMillis(date) + 24 * 3600 * 1000;
}
