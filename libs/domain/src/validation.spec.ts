import { validateEventData } from './validation';
import { EVENT_TYPES } from './events/catalogue';

describe('event data schemas', () => {
  it('accepts a valid letter', () => {
    expect(
      validateEventData('LetterSent', {
        letterId: 'doj-2018-01-24',
        from: 'organization:us-doj',
        subject: 'Records',
        demands: ['All documents'],
        threats: ['subpoena'],
      }),
    ).toEqual([]);
  });

  it('names each bad field with its reasons', () => {
    const errors = validateEventData('LetterSent', { letterId: 'Bad Id', from: 'doj', subject: '', demands: [], threats: ['nuke'], extra: 1 });
    const fields = errors.map((e) => e.field).sort();
    expect(fields).toEqual(['data.demands', 'data.extra', 'data.from', 'data.letterId', 'data.subject', 'data.threats']);
    expect(errors.every((e) => e.reasons.length > 0)).toBe(true);
  });

  it('validates nested values: ISO dates, slugs, URLs, enums', () => {
    expect(validateEventData('DeadlineSet', { deadlineId: 'd', letterId: 'l', dueAt: '2018-02-30', requirement: 'x' }).map((e) => e.field)).toEqual([
      'data.dueAt',
    ]);
    expect(validateEventData('JurisdictionRegistered', { name: 'X', kind: 'town', state: 'il' }).map((e) => e.field).sort()).toEqual([
      'data.kind',
      'data.state',
    ]);
    expect(
      validateEventData('CorrectionRecorded', { targetEventId: 'nope', changes: [{ path: 'hash', from: 1, to: 2 }], reason: 'x' }).map((e) => e.field).sort(),
    ).toEqual(['data.changes.0.path', 'data.targetEventId']);
  });

  it('rejects a non-object for every type', () => {
    for (const type of EVENT_TYPES) expect(validateEventData(type, 'x').length).toBeGreaterThan(0);
  });
});
