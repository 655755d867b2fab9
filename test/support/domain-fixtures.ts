import { randomUUID } from 'node:crypto';
import type { Command } from '@ledger/domain';
import { precisionOf } from '@ledger/domain';

const SOURCE = { publication: 'TheBlaze', url: 'https://www.theblaze.com/news/2018/01/24/doj' };

/** Builds a command (a proposed event) with sensible envelope defaults. */
export function cmd(type: string, streamId: string, data: Record<string, unknown>, occurredAt = '2018-01-24', eventId: string = randomUUID()): Command {
  return {
    eventId,
    type,
    streamId,
    occurredAt,
    occurredAtPrecision: precisionOf(occurredAt),
    data,
    metadata: { source: SOURCE, recordedBy: 'test', schemaVersion: 1 },
  };
}

export const chicagoRegistered = (eventId?: string) =>
  cmd('JurisdictionRegistered', 'jurisdiction-chicago-il', { name: 'City of Chicago', kind: 'city', state: 'IL' }, '2018-01-01', eventId);
export const letterSent = (letterId = 'doj-2018-01-24', eventId?: string) =>
  cmd(
    'LetterSent',
    'jurisdiction-chicago-il',
    { letterId, from: 'organization:us-doj', subject: 'Records', demands: ['All documents'], threats: ['subpoena', 'funding-cut'] },
    '2018-01-24',
    eventId,
  );
export const deadlineSet = (deadlineId = 'doj-2018-02-23', letterId = 'doj-2018-01-24', dueAt = '2018-02-23') =>
  cmd('DeadlineSet', 'jurisdiction-chicago-il', { deadlineId, letterId, dueAt, requirement: 'Produce the documents' });
export const responseReceived = (letterId = 'doj-2018-01-24') =>
  cmd('ResponseReceived', 'jurisdiction-chicago-il', { letterId, completeness: 'partial', summary: 'Some documents' }, '2018-02-20');
export const officialRegistered = (id = 'bill-de-blasio', name = 'Bill de Blasio') =>
  cmd('OfficialRegistered', `official-${id}`, { name, title: 'Mayor', party: 'democratic' }, '2018-01-01');
export const organizationRegistered = (id = 'us-doj') =>
  cmd('OrganizationRegistered', `organization-${id}`, { name: 'U.S. Department of Justice', level: 'federal' }, '2018-01-01');
export const meetingScheduled = (id = 'wh-mayors-2018-01-24') =>
  cmd('MeetingScheduled', `meeting-${id}`, { title: 'Working session with mayors', host: 'organization:white-house', scheduledFor: '2018-01-24' }, '2018-01-01');
