import type { EventStore } from '@ledger/event-store';
import { Recorder, type RecordInput } from '@ledger/recorder';
import type { Clock } from '@ledger/platform';

const SOURCE = { publication: 'TheBlaze', url: 'https://www.theblaze.com/news/2018/01/24/doj-demands-immigration-related-papers' };

export const LETTERED = ['chicago-il', 'cook-county-il', 'new-york-city-ny', 'state-of-california', 'los-angeles-ca', 'denver-co'];

export interface Scenario {
  recorder: Recorder;
  /** Event ids by a short label, for corrections and assertions. */
  ids: Record<string, string>;
  /** Position of the last event recorded. */
  position: number;
}

/**
 * The seed story in miniature: DOJ letters with deadlines to six jurisdictions (one more
 * with none), threats, a complete and a partial response, a White House meeting boycotted
 * by officials of both parties, statements, corrections (a misspelt name, a wrong
 * jurisdiction name) and retractions (a letter recorded twice, a misattributed statement).
 */
export async function recordSeedScenario(store: EventStore, clock: Clock): Promise<Scenario> {
  const recorder = new Recorder(store, clock);
  const ids: Record<string, string> = {};
  let position = -1;
  const rec = async (label: string, input: RecordInput) => {
    const result = await recorder.record(input, { recordedBy: 'test-recorder' });
    ids[label] = result.events[0].eventId;
    position = result.position;
    return result;
  };
  const act = { occurredAt: '2018-01-24', source: SOURCE };

  await rec('org-doj', { type: 'OrganizationRegistered', streamId: 'organization-us-doj', data: { name: 'U.S. Department of Justice', level: 'federal' } });
  await rec('org-wh', { type: 'OrganizationRegistered', streamId: 'organization-white-house', data: { name: 'The White House', level: 'federal' } });
  await rec('org-uscm', { type: 'OrganizationRegistered', streamId: 'organization-uscm', data: { name: 'U.S. Conference of Mayors', level: 'association' } });
  const officials: [string, string, string, string | undefined, string | undefined][] = [
    ['jeff-sessions', 'Jeff Sessions', 'Attorney General', 'us-doj', 'republican'],
    ['kirstjen-nielsen', 'Kirstjen Nielson', 'Secretary of Homeland Security', undefined, undefined],
    ['bill-de-blasio', 'Bill de Blasio', 'Mayor of New York City', undefined, 'democratic'],
    ['mitch-landrieu', 'Mitch Landrieu', 'President, U.S. Conference of Mayors', 'uscm', 'democratic'],
    ['rahm-emanuel', 'Rahm Emanuel', 'Mayor of Chicago', undefined, 'democratic'],
    ['eric-garcetti', 'Eric Garcetti', 'Mayor of Los Angeles', undefined, 'democratic'],
    ['elizabeth-kautz', 'Elizabeth Kautz', 'Mayor of Burnsville, MN', undefined, 'republican'],
    ['lindsay-walters', 'Lindsay Walters', 'Deputy Press Secretary', 'white-house', undefined],
  ];
  for (const [id, name, title, organization, party] of officials) {
    await rec(`official-${id}`, {
      type: 'OfficialRegistered',
      streamId: `official-${id}`,
      data: { name, title, ...(organization ? { organization } : {}), ...(party ? { party } : {}), ...(id === 'bill-de-blasio' ? { jurisdictionId: 'new-york-city-ny' } : {}) },
    });
  }
  const jurisdictions: [string, string, string, string][] = [
    ['chicago-il', 'City of Chicago', 'city', 'IL'],
    ['cook-county-il', 'Cook County', 'county', 'IL'],
    ['new-york-city-ny', 'City of New York', 'city', 'NY'],
    ['state-of-california', 'State of California', 'state', 'CA'],
    ['los-angeles-ca', 'Los Angeles County', 'city', 'CA'],
    ['denver-co', 'City and County of Denver', 'city-county', 'CO'],
    ['philadelphia-pa', 'City of Philadelphia', 'city', 'PA'],
  ];
  for (const [id, name, kind, state] of jurisdictions) {
    await rec(`jurisdiction-${id}`, { type: 'JurisdictionRegistered', streamId: `jurisdiction-${id}`, data: { name, kind, state } });
  }
  await rec('meeting', {
    type: 'MeetingScheduled',
    streamId: 'meeting-wh-mayors-2018-01-24',
    data: { title: 'Working Session With Mayors', host: 'organization:white-house', scheduledFor: '2018-01-24' },
  });

  for (const id of LETTERED) {
    await rec(`letter-${id}`, {
      type: 'LetterSent',
      streamId: `jurisdiction-${id}`,
      ...act,
      data: {
        letterId: 'doj-2018-01-24',
        from: 'organization:us-doj',
        subject: 'Documents on information sharing with federal immigration authorities',
        demands: ['All documents reflecting any orders, directives, instructions, or guidance to your law enforcement employees'],
        threats: id === 'chicago-il' ? ['subpoena'] : ['subpoena', 'funding-cut'],
        signedBy: 'official:jeff-sessions',
      },
    });
    await rec(`deadline-${id}`, {
      type: 'DeadlineSet',
      streamId: `jurisdiction-${id}`,
      ...act,
      data: { deadlineId: 'doj-2018-02-23', letterId: 'doj-2018-01-24', dueAt: '2018-02-23', requirement: 'Produce the documents' },
    });
  }
  // A duplicate letter recorded from a source that had the date wrong: retracted below.
  await rec('letter-california-dup', {
    type: 'LetterSent',
    streamId: 'jurisdiction-state-of-california',
    occurredAt: '2018-01-25',
    source: { publication: 'nola.com' },
    data: { letterId: 'doj-2018-01-25', from: 'organization:us-doj', subject: 'Same letter', demands: ['Same'], threats: [] },
  });
  await rec('subpoena-chicago', {
    type: 'SubpoenaThreatened',
    streamId: 'jurisdiction-chicago-il',
    ...act,
    data: { by: 'organization:us-doj', letterId: 'doj-2018-01-24', condition: 'if the jurisdiction fails to respond completely or in time' },
  });
  await rec('funding-california', {
    type: 'FundingThreatened',
    streamId: 'jurisdiction-state-of-california',
    ...act,
    data: { by: 'organization:us-doj', program: 'Byrne JAG', condition: 'compliance with 8 U.S.C. 1373' },
  });
  await rec('response-denver', {
    type: 'ResponseReceived',
    streamId: 'jurisdiction-denver-co',
    occurredAt: '2018-01-31',
    source: SOURCE,
    data: { letterId: 'doj-2018-01-24', completeness: 'complete', summary: 'Denver turns over the documents' },
  });
  await rec('response-cook', {
    type: 'ResponseReceived',
    streamId: 'jurisdiction-cook-county-il',
    occurredAt: '2018-02-20',
    source: SOURCE,
    data: { letterId: 'doj-2018-01-24', completeness: 'partial', summary: 'Some records' },
  });
  for (const [official, form] of [
    ['bill-de-blasio', 'boycott'],
    ['mitch-landrieu', 'boycott'],
    ['rahm-emanuel', 'non-attendance'],
    ['eric-garcetti', 'non-attendance'],
    ['elizabeth-kautz', 'boycott'],
  ]) {
    await rec(`boycott-${official}`, {
      type: 'BoycottDeclared',
      streamId: `official-${official}`,
      ...act,
      data: { meetingId: 'wh-mayors-2018-01-24', reason: 'the Justice Department threatened our cities', form },
    });
  }
  await rec('statement-sessions', {
    type: 'StatementIssued',
    streamId: 'official-jeff-sessions',
    ...act,
    data: {
      statementId: 'sessions-2018-01-24',
      channel: 'press-statement',
      quote: 'I continue to urge all jurisdictions under review to reconsider policies',
      about: ['jurisdiction:chicago-il', 'jurisdiction:cook-county-il'],
    },
  });
  await rec('statement-nielsen', {
    type: 'StatementIssued',
    streamId: 'official-kirstjen-nielsen',
    occurredAt: '2018-01-16',
    source: SOURCE,
    data: { statementId: 'nielsen-2018-01-16', channel: 'testimony', quote: 'warned lawmakers on Capital Hill', venue: 'Capital Hill', about: ['jurisdiction:chicago-il'] },
  });
  await rec('statement-walters', {
    type: 'StatementIssued',
    streamId: 'official-lindsay-walters',
    ...act,
    data: { statementId: 'walters-stunt', channel: 'press-statement', quote: 'a political stunt', about: ['meeting:wh-mayors-2018-01-24'] },
  });
  await rec('statement-misattributed', {
    type: 'StatementIssued',
    streamId: 'official-lindsay-walters',
    ...act,
    data: { statementId: 'walters-misattributed', channel: 'tweet', quote: 'misattributed', about: ['jurisdiction:chicago-il'] },
  });

  // Fixes
  await rec('correct-nielsen', {
    type: 'CorrectionRecorded',
    streamId: 'official-kirstjen-nielsen',
    data: { targetEventId: ids['official-kirstjen-nielsen'], changes: [{ path: 'data.name', from: 'Kirstjen Nielson', to: 'Kirstjen Nielsen' }], reason: 'spelling', kind: 'spelling' },
  });
  await rec('correct-venue', {
    type: 'CorrectionRecorded',
    streamId: 'official-kirstjen-nielsen',
    data: { targetEventId: ids['statement-nielsen'], changes: [{ path: 'data.venue', from: 'Capital Hill', to: 'Capitol Hill' }], reason: 'spelling', kind: 'spelling' },
  });
  await rec('correct-la', {
    type: 'CorrectionRecorded',
    streamId: 'jurisdiction-los-angeles-ca',
    data: { targetEventId: ids['jurisdiction-los-angeles-ca'], changes: [{ path: 'data.name', from: 'Los Angeles County', to: 'City of Los Angeles' }], reason: 'the city, not the county' },
  });
  await rec('retract-dup', {
    type: 'EventRetracted',
    streamId: 'jurisdiction-state-of-california',
    data: { targetEventId: ids['letter-california-dup'], reason: 'recorded twice; the source had the date wrong' },
  });
  await rec('retract-misattributed', {
    type: 'EventRetracted',
    streamId: 'official-lindsay-walters',
    data: { targetEventId: ids['statement-misattributed'], reason: 'the White House said it, not Walters' },
  });
  return { recorder, ids, position };
}
