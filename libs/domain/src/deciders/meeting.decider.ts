import { accept, rule, type Command, type DecisionContext } from './decide';
import { isMeeting } from './registration.decider';

export function decideMeeting(_type: 'MeetingHeld', command: Command, { stream }: DecisionContext) {
  rule(isMeeting(stream), 'MEETING.NOT_SCHEDULED', `${command.streamId} is not scheduled.`, { streamId: command.streamId });
  return accept(command);
}
