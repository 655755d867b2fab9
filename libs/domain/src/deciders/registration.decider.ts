import { isOpened, type StreamState } from '../stream-state';
import { accept, rule, type Command, type DecisionContext } from './decide';

const ALREADY: Record<string, string> = {
  JurisdictionRegistered: 'JURISDICTION.ALREADY_REGISTERED',
  OrganizationRegistered: 'ORGANIZATION.ALREADY_REGISTERED',
  OfficialRegistered: 'OFFICIAL.ALREADY_REGISTERED',
  MeetingScheduled: 'MEETING.ALREADY_SCHEDULED',
};

/** Registrations happen once per stream. */
export function decideRegistration(
  type: 'JurisdictionRegistered' | 'OrganizationRegistered' | 'OfficialRegistered' | 'MeetingScheduled',
  command: Command,
  { stream }: DecisionContext,
) {
  rule(!isOpened(stream, type), ALREADY[type], `${command.streamId} is registered already.`, {
    streamId: command.streamId,
  });
  return accept(command);
}

export const isJurisdiction = (s: StreamState) => isOpened(s, 'JurisdictionRegistered');
export const isOfficial = (s: StreamState) => isOpened(s, 'OfficialRegistered');
export const isOrganization = (s: StreamState) => isOpened(s, 'OrganizationRegistered');
export const isMeeting = (s: StreamState) => isOpened(s, 'MeetingScheduled');
