import type { Recorder } from '@ledger/recorder';

const SOURCE = { publication: 'TheBlaze', url: 'https://www.theblaze.com/news/2018/01/24/doj-demands-immigration-related-papers' };
const META = { recordedBy: 'test-recorder' };

/** A jurisdiction, the DOJ letter of 2018-01-24 and a deadline on it, recorded one at a time: what the deadline watcher reads. */
export function deadlineEvents(recorder: Recorder) {
  const streamId = (jurisdiction: string) => `jurisdiction-${jurisdiction}`;
  return {
    register: (jurisdiction: string) =>
      recorder.record({ type: 'JurisdictionRegistered', streamId: streamId(jurisdiction), data: { name: jurisdiction, kind: 'city', state: 'IL' } }, META),
    letter: (jurisdiction: string) =>
      recorder.record(
        {
          type: 'LetterSent',
          streamId: streamId(jurisdiction),
          occurredAt: '2018-01-24',
          source: SOURCE,
          data: { letterId: 'doj-2018-01-24', from: 'organization:us-doj', subject: 'Documents', demands: ['All documents'], threats: ['subpoena'] },
        },
        META,
      ),
    deadline: (jurisdiction: string, dueAt: string, deadlineId = 'd-1') =>
      recorder.record(
        {
          type: 'DeadlineSet',
          streamId: streamId(jurisdiction),
          occurredAt: '2018-01-24',
          source: SOURCE,
          data: { deadlineId, letterId: 'doj-2018-01-24', dueAt, requirement: 'Produce the documents' },
        },
        META,
      ),
  };
}
