import { given } from '../../../../test/support/decider-spec';
import { cmd, meetingScheduled, officialRegistered, organizationRegistered } from '../../../../test/support/domain-fixtures';

const statement = (streamId: string, statementId = 's1') =>
  cmd('StatementIssued', streamId, { statementId, channel: 'tweet', quote: 'I will NOT be attending', about: ['meeting:wh-mayors-2018-01-24'] });
const boycott = (meetingId = 'wh-mayors-2018-01-24') => cmd('BoycottDeclared', 'official-bill-de-blasio', { meetingId, reason: 'letters' });

describe('an official or organization speaking', () => {
  it('must be registered to speak', () => given().when(statement('official-bill-de-blasio')).thenRejects('SPEAKER.NOT_REGISTERED'));
  it('speaks once registered', () => given([officialRegistered()]).when(statement('official-bill-de-blasio')).then([{ type: 'StatementIssued' }]));
  it('an organization speaks once registered', () => given([organizationRegistered()]).when(statement('organization-us-doj')).then([{ type: 'StatementIssued' }]));
  it('does not record the same statement id twice', () =>
    given([officialRegistered(), statement('official-bill-de-blasio')]).when(statement('official-bill-de-blasio')).thenRejects('STATEMENT.ALREADY_RECORDED'));
  it('is registered once only', () => given([officialRegistered()]).when(officialRegistered()).thenRejects('OFFICIAL.ALREADY_REGISTERED'));
  it('an organization is registered once only', () =>
    given([organizationRegistered()]).when(organizationRegistered()).thenRejects('ORGANIZATION.ALREADY_REGISTERED'));
});

describe('an official boycotting a meeting', () => {
  it('must be registered', () => given([meetingScheduled()]).when(boycott()).thenRejects('OFFICIAL.NOT_REGISTERED'));
  it('needs the meeting to be scheduled', () => given([officialRegistered()]).when(boycott()).thenRejects('MEETING.NOT_SCHEDULED'));
  it('boycotts a scheduled meeting', () => given([officialRegistered(), meetingScheduled()]).when(boycott()).then([{ type: 'BoycottDeclared' }]));
  it('boycotts a meeting once', () =>
    given([officialRegistered(), meetingScheduled(), boycott()]).when(boycott()).thenRejects('BOYCOTT.ALREADY_DECLARED'));
});

describe('a meeting', () => {
  const held = () => cmd('MeetingHeld', 'meeting-wh-mayors-2018-01-24', { location: 'East Room' });
  it('is scheduled once', () => given([meetingScheduled()]).when(meetingScheduled()).thenRejects('MEETING.ALREADY_SCHEDULED'));
  it('is held only if scheduled', () => given().when(held()).thenRejects('MEETING.NOT_SCHEDULED'));
  it('is held once scheduled', () => given([meetingScheduled()]).when(held()).then([{ type: 'MeetingHeld' }]));
});
