import type { EventEnvelope } from '@ledger/domain';
import { knownEvents } from './fold';

const e = (type: string, occurredAt: string, recordedAt: string): EventEnvelope =>
  ({ eventId: `${type}-${occurredAt}-${recordedAt}`, type, occurredAt, recordedAt, data: {}, position: 0 }) as unknown as EventEnvelope;

describe('knownEvents (point in time)', () => {
  const registration = e('JurisdictionRegistered', '2026-01-01', '2026-01-01T10:00:00Z');
  const letter = e('LetterSent', '2018-01-24', '2026-01-01T10:00:01Z');
  const correction = e('CorrectionRecorded', '2026-02-01T00:00:00Z', '2026-02-01T00:00:00Z');
  const all = [registration, letter, correction];

  test('asOf keeps what had happened by the end of that day; registrations and fixes are timeless', () => {
    expect(knownEvents(all, { asOf: '2018-01-24' })).toEqual(all);
    expect(knownEvents(all, { asOf: '2018-01-23' })).toEqual([registration, correction]);
    expect(knownEvents(all, { asOf: '2018-01-24T00:00:00Z' })).toEqual(all);
  });

  test('knownAt keeps what the ledger had recorded by then, fixes included', () => {
    expect(knownEvents(all, { knownAt: '2026-01-31' })).toEqual([registration, letter]);
    expect(knownEvents(all, { knownAt: '2026-01-01T10:00:00Z' })).toEqual([registration]);
    expect(knownEvents(all, { knownAt: '2026-02-01' })).toEqual(all);
  });
});
