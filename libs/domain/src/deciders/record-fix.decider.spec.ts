import { given } from '../../../../test/support/decider-spec';
import { chicagoRegistered, cmd, letterSent, officialRegistered } from '../../../../test/support/domain-fixtures';
import { foldStream } from '../stream-state';

const NIELSON = '11111111-1111-4111-8111-111111111111';
const LETTER = '22222222-2222-4222-8222-222222222222';
const J = 'jurisdiction-chicago-il';
const O = 'official-kirstjen-nielsen';

const nielson = () => ({ ...officialRegistered('kirstjen-nielsen', 'Kirstjen Nielson'), eventId: NIELSON });
const correct = (changes: unknown[], target = NIELSON, stream = O) =>
  cmd('CorrectionRecorded', stream, { targetEventId: target, changes, reason: 'fact-check', kind: 'spelling' });
const retract = (target: string, stream = J) => cmd('EventRetracted', stream, { targetEventId: target, reason: 'recorded in error' });

describe('correcting an event', () => {
  it('corrects a field whose current value it names', () =>
    given([nielson()]).when(correct([{ path: 'data.name', from: 'Kirstjen Nielson', to: 'Kirstjen Nielsen' }])).then([{ type: 'CorrectionRecorded' }]));
  it('refuses a stale `from`', () =>
    given([nielson()]).when(correct([{ path: 'data.name', from: 'Kirstjen Nielsen', to: 'K. Nielsen' }])).thenRejects('CORRECTION.STALE_FROM'));
  it('sees earlier corrections when checking `from`', () =>
    given([nielson(), correct([{ path: 'data.name', from: 'Kirstjen Nielson', to: 'Kirstjen Nielsen' }])])
      .when(correct([{ path: 'data.name', from: 'Kirstjen Nielsen', to: 'Kirstjen M. Nielsen' }]))
      .then([{ type: 'CorrectionRecorded' }]));
  it('adds an absent field (from null)', () =>
    given([nielson()]).when(correct([{ path: 'data.jurisdictionId', from: null, to: 'chicago-il' }])).then([{ type: 'CorrectionRecorded' }]));
  it('refuses a result that breaks the schema', () =>
    given([nielson()]).when(correct([{ path: 'data.party', from: 'democratic', to: 'whig' }])).thenRejects('CORRECTION.INVALID_RESULT'));
  it('refuses a target that is not in the stream', () =>
    given([nielson()]).when(correct([{ path: 'data.name', from: 'x', to: 'y' }], LETTER)).thenRejects('TARGET.NOT_FOUND'));
  it('refuses to correct a retracted event', () =>
    given([chicagoRegistered(), letterSent('l1', LETTER), retract(LETTER)])
      .when(correct([{ path: 'data.subject', from: 'Records', to: 'Documents' }], LETTER, J))
      .thenRejects('TARGET.RETRACTED'));
  it('refuses to correct a correction', () => {
    const first = correct([{ path: 'data.name', from: 'Kirstjen Nielson', to: 'Kirstjen Nielsen' }]);
    given([nielson(), first]).when(correct([{ path: 'data.reason', from: 'fact-check', to: 'x' }], first.eventId)).thenRejects('CORRECTION.NOT_CORRECTABLE');
  });
  it('applies corrections in the folded state, keeping the original fact id', () => {
    const state = foldStream(O, [nielson(), correct([{ path: 'data.name', from: 'Kirstjen Nielson', to: 'Kirstjen Nielsen' }])]);
    expect(state.facts[0]).toMatchObject({ eventId: NIELSON, data: { name: 'Kirstjen Nielsen' } });
    expect(state.facts[0].correctedBy).toHaveLength(1);
  });
});

describe('retracting an event', () => {
  const withLetter = [chicagoRegistered(), letterSent('doj-2018-01-24', LETTER)];
  it('retracts a letter', () => given(withLetter).when(retract(LETTER)).then([{ type: 'EventRetracted' }]));
  it('retracts once', () => given([...withLetter, retract(LETTER)]).when(retract(LETTER)).thenRejects('TARGET.RETRACTED'));
  it('refuses a target outside the stream', () => given(withLetter).when(retract(NIELSON)).thenRejects('TARGET.NOT_FOUND'));
  it('does not retract a registration', () => {
    const reg = chicagoRegistered(NIELSON);
    given([reg]).when(retract(NIELSON)).thenRejects('TARGET.NOT_RETRACTABLE');
  });
  it('makes a retracted letter count as never sent', () =>
    given([...withLetter, retract(LETTER)]).when(cmd('ResponseReceived', J, { letterId: 'doj-2018-01-24', completeness: 'complete', summary: 'x' })).thenRejects('LETTER.NOT_FOUND'));
});
