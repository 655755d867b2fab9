import { computeEventHash, GENESIS_HASH, type EventEnvelope } from '@ledger/domain';
import { startTestLedger, type TestLedger } from '../support/app';

const SOURCE = { publication: 'TheBlaze', url: 'https://www.theblaze.com/news/2018/01/24/doj-demands' };

describe('recording every event type over HTTP', () => {
  let ledger: TestLedger;
  beforeAll(async () => (ledger = await startTestLedger()));
  afterAll(async () => ledger.dispose());

  const post = async (url: string, payload: object, expected = 201) => {
    const res = await ledger.inject({ method: 'POST', url, payload });
    if (res.statusCode !== expected) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };

  it('records a whole dispute and reads it back with its hash chains', async () => {
    const action = { occurredAt: '2018-01-24', source: SOURCE };
    await post('/v1/organizations', { id: 'us-doj', name: 'U.S. Department of Justice', level: 'federal' });
    await post('/v1/organizations', { id: 'white-house', name: 'The White House', level: 'federal' });
    await post('/v1/jurisdictions', { id: 'chicago-il', name: 'City of Chicago', kind: 'city', state: 'IL' });
    await post('/v1/officials', { id: 'jeff-sessions', name: 'Jeff Sessions', title: 'Attorney General', organization: 'us-doj', party: 'republican' });
    await post('/v1/officials', { id: 'bill-de-blasio', name: 'Bill de Blasio', title: 'Mayor', party: 'democratic', jurisdictionId: 'new-york-city-ny' });
    await post('/v1/meetings', { id: 'wh-mayors-2018-01-24', title: 'Working session with mayors', host: 'organization:white-house', scheduledFor: '2018-01-24' });
    const letter = await post('/v1/jurisdictions/chicago-il/letters', {
      letterId: 'doj-2018-01-24', from: 'organization:us-doj', subject: 'Records', demands: ['All documents'], threats: ['subpoena', 'funding-cut'], ...action,
    });
    await post('/v1/jurisdictions/chicago-il/deadlines', { deadlineId: 'doj-2018-02-23', letterId: 'doj-2018-01-24', dueAt: '2018-02-23', requirement: 'Produce', ...action });
    await post('/v1/jurisdictions/chicago-il/subpoena-threats', { by: 'organization:us-doj', letterId: 'doj-2018-01-24', condition: 'if no timely answer', ...action });
    await post('/v1/jurisdictions/chicago-il/funding-threats', { by: 'organization:us-doj', program: 'Byrne JAG', condition: 'if not compliant', ...action });
    await post('/v1/jurisdictions/chicago-il/responses', { letterId: 'doj-2018-01-24', completeness: 'refused', summary: 'Chicago refused', ...action, occurredAt: '2018-02-20' });
    await post('/v1/jurisdictions/chicago-il/subpoenas', { by: 'organization:us-doj', subject: 'records', ...action, occurredAt: '2018-03-01', confidence: 'low' });
    await post('/v1/officials/jeff-sessions/statements', { statementId: 'sessions-2018-01-24', channel: 'press-statement', quote: 'I continue to urge…', about: ['jurisdiction:chicago-il'], ...action });
    await post('/v1/organizations/us-doj/statements', { statementId: 'doj-warning', channel: 'briefing', quote: 'If these jurisdictions fail…', about: [], ...action });
    await post('/v1/officials/bill-de-blasio/boycotts', { meetingId: 'wh-mayors-2018-01-24', reason: 'racist assault', ...action });
    await post('/v1/meetings/wh-mayors-2018-01-24/held', { location: 'East Room', ...action });
    const correction = await post(`/v1/events/${letter.eventId}/corrections`, {
      changes: [{ path: 'data.subject', from: 'Records', to: 'Records on information sharing' }], reason: 'fuller subject',
    });
    expect(correction).toMatchObject({ type: 'CorrectionRecorded', streamId: 'jurisdiction-chicago-il' });
    const threat = await post('/v1/jurisdictions/chicago-il/subpoena-threats', { by: 'organization:us-doj', condition: 'duplicate', ...action });
    await post(`/v1/events/${threat.eventId}/retractions`, { reason: 'recorded twice' });

    const stream = (await ledger.inject({ method: 'GET', url: '/v1/streams/jurisdiction-chicago-il' })).json() as { events: EventEnvelope[] };
    expect(stream.events.map((e) => e.type)).toEqual([
      'JurisdictionRegistered', 'LetterSent', 'DeadlineSet', 'SubpoenaThreatened', 'FundingThreatened', 'ResponseReceived',
      'SubpoenaIssued', 'CorrectionRecorded', 'SubpoenaThreatened', 'EventRetracted',
    ]);
    stream.events.forEach((e, i) => {
      expect(e.revision).toBe(i);
      expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : stream.events[i - 1].hash);
      const { hash, position: _position, ...rest } = e;
      expect(hash).toBe(computeEventHash(rest));
      expect(e.metadata.recordedBy).toBe('anonymous');
    });
    expect(stream.events[1]).toMatchObject({ occurredAt: '2018-01-24', occurredAtPrecision: 'day', metadata: { source: SOURCE } });
    const one = (await ledger.inject({ method: 'GET', url: `/v1/events/${letter.eventId}` })).json();
    expect(one).toMatchObject({ eventId: letter.eventId, position: letter.position, hash: letter.hash });
  });
});
