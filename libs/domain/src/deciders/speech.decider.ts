import { streamIdFor } from '../ids';
import { emptyStream, liveFacts } from '../stream-state';
import { accept, rule, type Command, type DecisionContext } from './decide';
import { isMeeting, isOfficial, isOrganization } from './registration.decider';

export function decideSpeech(type: 'StatementIssued' | 'BoycottDeclared', command: Command, ctx: DecisionContext) {
  const { stream } = ctx;
  const data = command.data as Record<string, string>;
  if (type === 'StatementIssued') {
    rule(isOfficial(stream) || isOrganization(stream), 'SPEAKER.NOT_REGISTERED', `${command.streamId} is not registered.`, {
      streamId: command.streamId,
    });
    rule(
      !stream.facts.some((f) => f.type === 'StatementIssued' && f.data.statementId === data.statementId),
      'STATEMENT.ALREADY_RECORDED',
      `Statement "${data.statementId}" was recorded already.`,
      { statementId: data.statementId },
    );
    return accept(command);
  }
  rule(isOfficial(stream), 'OFFICIAL.NOT_REGISTERED', `${command.streamId} is not registered.`, {
    streamId: command.streamId,
  });
  const meetingStream = streamIdFor('meeting', data.meetingId);
  const meeting = ctx.related.get(meetingStream) ?? emptyStream(meetingStream);
  rule(isMeeting(meeting), 'MEETING.NOT_SCHEDULED', `Meeting "${data.meetingId}" is not scheduled.`, {
    meetingId: data.meetingId,
  });
  rule(
    !liveFacts(stream, 'BoycottDeclared').some((f) => f.data.meetingId === data.meetingId),
    'BOYCOTT.ALREADY_DECLARED',
    `This official has declared a boycott of "${data.meetingId}" already.`,
    { meetingId: data.meetingId },
  );
  return accept(command);
}
