import { given } from '../../../../test/support/decider-spec';
import { chicagoRegistered, cmd, deadlineSet, letterSent, responseReceived } from '../../../../test/support/domain-fixtures';
import { lapsableDeadlines } from './jurisdiction.decider';
import { foldStream } from '../stream-state';

const J = 'jurisdiction-chicago-il';

describe('a jurisdiction', () => {
  describe('not yet registered', () => {
    it('may be registered', () => given().when(chicagoRegistered()).then([{ type: 'JurisdictionRegistered' }]));
    it('receives no letter', () => given().when(letterSent()).thenRejects('JURISDICTION.NOT_REGISTERED'));
    it('is threatened with nothing', () =>
      given().when(cmd('SubpoenaIssued', J, { by: 'organization:us-doj', subject: 'x' })).thenRejects('JURISDICTION.NOT_REGISTERED'));
  });

  describe('registered', () => {
    const registered = [chicagoRegistered()];
    it('is registered once only', () => given(registered).when(chicagoRegistered()).thenRejects('JURISDICTION.ALREADY_REGISTERED'));
    it('receives a letter', () => given(registered).when(letterSent()).then([{ type: 'LetterSent', data: { letterId: 'doj-2018-01-24' } }]));
    it('has no deadline on a letter never sent', () => given(registered).when(deadlineSet()).thenRejects('LETTER.NOT_FOUND'));
    it('gives no response to a letter never sent', () => given(registered).when(responseReceived()).thenRejects('LETTER.NOT_FOUND'));
    it('may be threatened with a subpoena without a letter', () =>
      given(registered).when(cmd('SubpoenaThreatened', J, { by: 'organization:us-doj', condition: 'if no answer' })).then([{ type: 'SubpoenaThreatened' }]));
    it('is not threatened under a letter never sent', () =>
      given(registered)
        .when(cmd('SubpoenaThreatened', J, { by: 'organization:us-doj', condition: 'x', letterId: 'nope' }))
        .thenRejects('LETTER.NOT_FOUND'));
    it('is not threatened with funding cuts under a letter never sent', () =>
      given(registered)
        .when(cmd('FundingThreatened', J, { by: 'organization:us-doj', program: 'Byrne JAG', condition: 'x', letterId: 'nope' }))
        .thenRejects('LETTER.NOT_FOUND'));
    it('may be issued a subpoena', () =>
      given(registered).when(cmd('SubpoenaIssued', J, { by: 'organization:us-doj', subject: 'records' })).then([{ type: 'SubpoenaIssued' }]));
  });

  describe('with a letter', () => {
    const withLetter = [chicagoRegistered(), letterSent()];
    it('refuses the same letter id twice', () => given(withLetter).when(letterSent()).thenRejects('LETTER.ALREADY_SENT'));
    it('takes a deadline on the letter', () => given(withLetter).when(deadlineSet()).then([{ type: 'DeadlineSet' }]));
    it('takes a deadline due the day of the letter', () => given(withLetter).when(deadlineSet('same-day', 'doj-2018-01-24', '2018-01-24')).then([{ type: 'DeadlineSet' }]));
    it('refuses a deadline before the letter', () =>
      given(withLetter).when(deadlineSet('early', 'doj-2018-01-24', '2018-01-23')).thenRejects('DEADLINE.BEFORE_LETTER'));
    it('refuses the same deadline id twice', () => given([...withLetter, deadlineSet()]).when(deadlineSet()).thenRejects('DEADLINE.ALREADY_SET'));
    it('takes a response to the letter', () => given(withLetter).when(responseReceived()).then([{ type: 'ResponseReceived' }]));
    it('takes a threat under the letter', () =>
      given(withLetter)
        .when(cmd('FundingThreatened', J, { by: 'organization:us-doj', program: 'Byrne JAG', condition: 'x', letterId: 'doj-2018-01-24' }))
        .then([{ type: 'FundingThreatened' }]));
  });

  describe('with a deadline', () => {
    const withDeadline = [chicagoRegistered(), letterSent(), deadlineSet()];
    const lapse = () => cmd('DeadlineLapsed', J, { deadlineId: 'doj-2018-02-23' }, '2018-02-24');
    it('lapses once the due day is over and no response came', () =>
      given(withDeadline, new Date('2018-02-24T00:00:00Z')).when(lapse()).then([{ type: 'DeadlineLapsed' }]));
    it('does not lapse while the due day lasts', () =>
      given(withDeadline, new Date('2018-02-23T23:59:59Z')).when(lapse()).thenRejects('DEADLINE.NOT_LAPSED'));
    it('does not lapse once answered', () => given([...withDeadline, responseReceived()]).when(lapse()).thenRejects('DEADLINE.NOT_LAPSED'));
    it('lapses only once', () => given([...withDeadline, lapse()]).when(lapse()).thenRejects('DEADLINE.NOT_LAPSED'));
    it('cannot lapse a deadline that does not exist', () =>
      given(withDeadline).when(cmd('DeadlineLapsed', J, { deadlineId: 'other' })).thenRejects('DEADLINE.NOT_FOUND'));
    it('lists what the watcher must lapse', () => {
      const state = foldStream(J, withDeadline);
      expect(lapsableDeadlines(state, new Date('2018-02-23T12:00:00Z'))).toEqual([]);
      expect(lapsableDeadlines(state, new Date('2018-03-01T00:00:00Z'))).toEqual([
        { deadlineId: 'doj-2018-02-23', letterId: 'doj-2018-01-24', dueAt: '2018-02-23' },
      ]);
      expect(lapsableDeadlines(foldStream(J, [...withDeadline, responseReceived()]), new Date('2018-03-01'))).toEqual([]);
    });
  });
});

describe('stream fit', () => {
  it('refuses a letter on an official stream', () =>
    given().when({ ...letterSent(), streamId: 'official-bill-de-blasio' }).thenRejects('EVENT.BAD_STREAM'));
  it('refuses an unknown type', () => given().when(cmd('LetterBurned', J, {})).thenRejects('EVENT.UNKNOWN_TYPE'));
});
