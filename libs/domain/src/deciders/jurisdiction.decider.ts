import { occurredAtMillis } from '../envelope';
import { liveFacts, type StreamState } from '../stream-state';
import { accept, periodEndMillis, rule, type Command, type DecisionContext } from './decide';
import { isJurisdiction } from './registration.decider';

type JurisdictionCommand =
  | 'LetterSent'
  | 'DeadlineSet'
  | 'ResponseReceived'
  | 'DeadlineLapsed'
  | 'SubpoenaThreatened'
  | 'SubpoenaIssued'
  | 'FundingThreatened';

export function decideJurisdiction(type: JurisdictionCommand, command: Command, { stream, now }: DecisionContext) {
  rule(isJurisdiction(stream), 'JURISDICTION.NOT_REGISTERED', `${command.streamId} is not registered.`, {
    streamId: command.streamId,
  });
  const data = command.data as Record<string, string | undefined>;
  switch (type) {
    case 'LetterSent':
      rule(
        !stream.facts.some((f) => f.type === 'LetterSent' && f.data.letterId === data.letterId),
        'LETTER.ALREADY_SENT',
        `Letter "${data.letterId}" was recorded for this jurisdiction already.`,
        { letterId: data.letterId },
      );
      break;
    case 'DeadlineSet': {
      const letter = requireLetter(stream, data.letterId!);
      rule(
        !stream.facts.some((f) => f.type === 'DeadlineSet' && f.data.deadlineId === data.deadlineId),
        'DEADLINE.ALREADY_SET',
        `Deadline "${data.deadlineId}" exists already.`,
        { deadlineId: data.deadlineId },
      );
      rule(
        periodEndMillis(data.dueAt!) > occurredAtMillis(letter.occurredAt),
        'DEADLINE.BEFORE_LETTER',
        `The deadline ${data.dueAt} falls before the letter's date ${letter.occurredAt}.`,
        { dueAt: data.dueAt, letterDate: letter.occurredAt },
      );
      break;
    }
    case 'ResponseReceived':
      requireLetter(stream, data.letterId!);
      break;
    case 'SubpoenaThreatened':
    case 'FundingThreatened':
      if (data.letterId) requireLetter(stream, data.letterId);
      break;
    case 'DeadlineLapsed': {
      const deadline = liveFacts(stream, 'DeadlineSet').find((f) => f.data.deadlineId === data.deadlineId);
      rule(!!deadline, 'DEADLINE.NOT_FOUND', `Deadline "${data.deadlineId}" does not exist.`, {
        deadlineId: data.deadlineId,
      });
      const answered = answeredLetters(stream).has(String(deadline!.data.letterId));
      const lapsed = liveFacts(stream, 'DeadlineLapsed').some((f) => f.data.deadlineId === data.deadlineId);
      const due = periodEndMillis(String(deadline!.data.dueAt)) <= now.getTime();
      rule(!answered && !lapsed && due, 'DEADLINE.NOT_LAPSED', `Deadline "${data.deadlineId}" has not lapsed.`, {
        deadlineId: data.deadlineId,
        answered,
        lapsedAlready: lapsed,
        due,
      });
      break;
    }
    case 'SubpoenaIssued':
      break;
  }
  return accept(command);
}

function requireLetter(stream: StreamState, letterId: string) {
  const letter = liveFacts(stream, 'LetterSent').find((f) => f.data.letterId === letterId);
  rule(!!letter, 'LETTER.NOT_FOUND', `No letter "${letterId}" was sent to this jurisdiction.`, { letterId });
  return letter!;
}

export function answeredLetters(stream: StreamState): Set<string> {
  return new Set(liveFacts(stream, 'ResponseReceived').map((f) => String(f.data.letterId)));
}

export interface OpenDeadline {
  deadlineId: string;
  letterId: string;
  dueAt: string;
}

/**
 * Deadlines neither answered nor lapsed, whether or not their letter stands (a retracted
 * letter's deadline cannot lapse, but would again if the retraction were retracted). A
 * stream with none gets one only through a DeadlineSet, a correction or a retraction: a
 * response or a lapse only settles more, and a letter is not looked at. The deadline
 * watcher relies on this to hold only the streams that have some.
 */
export function unsettledDeadlines(stream: StreamState): OpenDeadline[] {
  const answered = answeredLetters(stream);
  const lapsed = new Set(liveFacts(stream, 'DeadlineLapsed').map((f) => String(f.data.deadlineId)));
  return liveFacts(stream, 'DeadlineSet')
    .map((f) => ({ deadlineId: String(f.data.deadlineId), letterId: String(f.data.letterId), dueAt: String(f.data.dueAt) }))
    .filter((d) => !answered.has(d.letterId) && !lapsed.has(d.deadlineId));
}

/** Deadlines that are due by `now`, unanswered and not yet lapsed: what the watcher must lapse. */
export function lapsableDeadlines(stream: StreamState, now: Date): OpenDeadline[] {
  const letters = new Set(liveFacts(stream, 'LetterSent').map((f) => String(f.data.letterId)));
  return unsettledDeadlines(stream).filter((d) => letters.has(d.letterId) && periodEndMillis(d.dueAt) <= now.getTime());
}
