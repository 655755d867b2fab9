import type { Recorder } from '@ledger/recorder';

const SOURCE = { publication: 'TheBlaze', url: 'https://www.theblaze.com/news/2018/01/24/doj-demands-immigration-related-papers' };
const META = { recordedBy: 'test-recorder' };
const LETTER = 'doj-2018-01-24';

/**
 * A jurisdiction, the DOJ letter of 2018-01-24, deadlines and responses on it, and fixes,
 * recorded one at a time: what the deadline watcher reads. Letter ids default to the one
 * letter of the real data.
 */
export function deadlineEvents(recorder: Recorder) {
  const streamId = (jurisdiction: string) => `jurisdiction-${jurisdiction}`;
  const action = (jurisdiction: string, type: string, data: Record<string, unknown>) =>
    recorder.record({ type, streamId: streamId(jurisdiction), occurredAt: '2018-01-24', source: SOURCE, data }, META);
  return {
    streamId,
    register: (jurisdiction: string) =>
      recorder.record({ type: 'JurisdictionRegistered', streamId: streamId(jurisdiction), data: { name: jurisdiction, kind: 'city', state: 'IL' } }, META),
    letter: (jurisdiction: string, letterId = LETTER) =>
      action(jurisdiction, 'LetterSent', { letterId, from: 'organization:us-doj', subject: 'Documents', demands: ['All documents'], threats: ['subpoena'] }),
    deadline: (jurisdiction: string, dueAt: string, deadlineId = 'd-1', letterId = LETTER) =>
      action(jurisdiction, 'DeadlineSet', { deadlineId, letterId, dueAt, requirement: 'Produce the documents' }),
    response: (jurisdiction: string, letterId = LETTER) => action(jurisdiction, 'ResponseReceived', { letterId, completeness: 'partial', summary: 'Some documents' }),
    /** A correction or retraction of an event of the jurisdiction's stream. */
    fix: (jurisdiction: string, type: 'CorrectionRecorded' | 'EventRetracted', data: Record<string, unknown>) => action(jurisdiction, type, data),
    /** The DeadlineSet a deadline() call would record, as an event for the store (appended unchecked, e.g. several at once). */
    deadlineEvent: (jurisdiction: string, dueAt: string, deadlineId: string, letterId = LETTER) => {
      const { streamId: _streamId, ...event } = recorder.toCommand(
        { type: 'DeadlineSet', streamId: streamId(jurisdiction), occurredAt: '2018-01-24', source: SOURCE, data: { deadlineId, letterId, dueAt, requirement: 'Produce the documents' } },
        META,
      );
      return event;
    },
  };
}
