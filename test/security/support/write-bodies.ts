import type { TestLedger } from '../../support/app';
import { bearer } from './keys';

export const SOURCE = { publication: 'TheBlaze', url: 'https://www.theblaze.com/news/2018/01/24/doj-demands-immigration-related-papers' };
const ACTION = { occurredAt: '2018-01-24', source: SOURCE };
export const LETTER_SUBJECT = 'Records on information sharing with federal immigration authorities';

/** The entities every write route's path names, recorded before fuzzing. */
export async function seedLedger(ledger: TestLedger): Promise<{ letterEventId: string }> {
  const post = async (url: string, payload: object) => {
    const res = await ledger.inject({ method: 'POST', url, headers: bearer('recorder'), payload });
    if (res.statusCode !== 201) throw new Error(`seeding ${url} failed: ${res.statusCode} ${res.body}`);
    return res.json() as { eventId: string };
  };
  await post('/v1/jurisdictions', { id: 'chicago-il', name: 'City of Chicago', kind: 'city', state: 'IL' });
  await post('/v1/organizations', { id: 'us-doj', name: 'U.S. Department of Justice', level: 'federal' });
  await post('/v1/officials', { id: 'jeff-sessions', name: 'Jeff Sessions', title: 'Attorney General', organization: 'us-doj', party: 'republican' });
  await post('/v1/meetings', { id: 'wh-mayors-2018-01-24', title: 'Meeting with the mayors', host: 'organization:us-doj', scheduledFor: '2018-01-24' });
  const letter = await post('/v1/jurisdictions/chicago-il/letters', {
    letterId: 'doj-2018-01-24',
    from: 'organization:us-doj',
    subject: LETTER_SUBJECT,
    demands: ['All documents reflecting any orders'],
    threats: ['subpoena'],
    ...ACTION,
  });
  return { letterEventId: letter.eventId };
}

/** A path for a route pattern, naming the seeded entities. */
export function pathFor(url: string, letterEventId: string): string {
  const id = url.startsWith('/v1/officials') ? 'jeff-sessions'
    : url.startsWith('/v1/organizations') ? 'us-doj'
    : url.startsWith('/v1/meetings') ? 'wh-mayors-2018-01-24'
    : url.startsWith('/v1/webhooks') ? '5c0e9a43-2f55-4bb4-9a0e-2a7c5c9f7d10'
    : 'chicago-il';
  return url.replace(/:eventId/g, letterEventId).replace(/:streamId/g, 'jurisdiction-chicago-il').replace(/:[A-Za-z]+/g, id);
}

/**
 * A body each write route accepts on the seeded ledger (proved by the fuzz test's control
 * run), so that one added fault is the only thing wrong with a fuzzed request. Routes
 * not listed here are fuzzed from an empty base.
 */
export const VALID_BODIES: Record<string, Record<string, unknown>> = {
  'POST /v1/jurisdictions': { id: 'cook-county-il', name: 'Cook County', kind: 'county', state: 'IL' },
  'POST /v1/organizations': { id: 'us-dhs', name: 'U.S. Department of Homeland Security', level: 'federal' },
  'POST /v1/officials': { id: 'rahm-emanuel', name: 'Rahm Emanuel', title: 'Mayor', party: 'democratic', jurisdictionId: 'chicago-il' },
  'POST /v1/meetings': { id: 'doj-briefing', title: 'Briefing', host: 'organization:us-doj', scheduledFor: '2018-02-01' },
  'POST /v1/meetings/:id/held': { location: 'White House', ...ACTION },
  'POST /v1/jurisdictions/:id/letters': {
    letterId: 'doj-2018-02-01',
    from: 'organization:us-doj',
    subject: 'Second request',
    demands: ['All documents'],
    threats: ['subpoena', 'funding-cut'],
    ...ACTION,
  },
  'POST /v1/jurisdictions/:id/deadlines': {
    deadlineId: 'doj-2018-01-24-due',
    letterId: 'doj-2018-01-24',
    dueAt: '2018-02-23',
    requirement: 'Produce the records',
    ...ACTION,
  },
  'POST /v1/jurisdictions/:id/responses': { letterId: 'doj-2018-01-24', completeness: 'partial', summary: 'Some records', ...ACTION },
  'POST /v1/jurisdictions/:id/subpoena-threats': { by: 'organization:us-doj', letterId: 'doj-2018-01-24', condition: 'If no records', ...ACTION },
  'POST /v1/jurisdictions/:id/subpoenas': { by: 'organization:us-doj', subject: 'Records', ...ACTION },
  'POST /v1/jurisdictions/:id/funding-threats': { by: 'organization:us-doj', program: 'Byrne JAG', condition: 'If no records', ...ACTION },
  'POST /v1/officials/:id/statements': {
    statementId: 'sessions-2018-01-24',
    channel: 'press-statement',
    quote: 'Protecting criminal aliens from federal immigration authorities defies common sense.',
    about: ['jurisdiction:chicago-il'],
    ...ACTION,
  },
  'POST /v1/organizations/:id/statements': { statementId: 'doj-warning', channel: 'briefing', quote: 'Comply.', about: [], ...ACTION },
  'POST /v1/officials/:id/boycotts': { meetingId: 'wh-mayors-2018-01-24', reason: 'In protest', ...ACTION },
  'POST /v1/events/:eventId/corrections': {
    changes: [{ path: 'data.subject', from: LETTER_SUBJECT, to: 'Records on sharing information' }],
    reason: 'The subject was shortened',
  },
  // last: a retracted letter could no longer be corrected
  'POST /v1/events/:eventId/retractions': { reason: 'Recorded in error' },
};

export const VALID_IMPORT_LINE = {
  type: 'JurisdictionRegistered',
  streamId: 'jurisdiction-denver-co',
  occurredAt: '2018-01-01',
  data: { name: 'City and County of Denver', kind: 'city-county', state: 'CO' },
  metadata: { source: SOURCE },
};
