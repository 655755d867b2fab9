import type { EventEnvelope } from '@ledger/domain';
import { applyFix, correctionNotes, currentOf, entryOf } from './facts';

const envelope = (type: string, data: Record<string, unknown>, position: number, eventId = `00000000-0000-4000-8000-00000000000${position}`): EventEnvelope => ({
  eventId,
  type,
  streamId: 'jurisdiction-chicago-il',
  revision: position,
  position,
  occurredAt: '2018-01-24',
  occurredAtPrecision: 'day',
  recordedAt: '2026-01-01T00:00:00.000Z',
  data,
  metadata: { recordedBy: 'test', schemaVersion: 1 },
  prevHash: '',
  hash: '',
});

describe('facts with corrections and retractions', () => {
  const registered = envelope('JurisdictionRegistered', { name: 'City of Chicagoo', kind: 'city', state: 'IL' }, 1);
  const entries = [entryOf(registered, ['name', 'kind', 'state'])];
  const correction = envelope('CorrectionRecorded', { targetEventId: registered.eventId, changes: [{ path: 'data.name', from: 'City of Chicagoo', to: 'City of Chicago' }], reason: 'spelling' }, 2);

  test('a correction changes the fact as read, and leaves a note linking to it', () => {
    const corrected = applyFix(entries, correction);
    expect(currentOf(corrected[0])).toEqual({ data: { name: 'City of Chicago', kind: 'city', state: 'IL' }, occurredAt: '2018-01-24', corrected: true });
    expect(corrected[0].data).toEqual(entries[0].data); // the original is kept
    expect(correctionNotes(corrected)).toEqual([expect.objectContaining({ correctionEventId: correction.eventId, href: `/v1/events/${correction.eventId}` })]);
  });

  test('retracting the correction brings the original back', () => {
    const undone = applyFix(applyFix(entries, correction), envelope('EventRetracted', { targetEventId: correction.eventId, reason: 'wrong' }, 3));
    expect(currentOf(undone[0])).toMatchObject({ data: { name: 'City of Chicagoo' }, corrected: false });
    expect(correctionNotes(undone)).toEqual([]);
  });

  test('a retracted fact is marked, and fixes of other events change nothing', () => {
    const retracted = applyFix(entries, envelope('EventRetracted', { targetEventId: registered.eventId, reason: 'x' }, 4));
    expect(retracted[0]).toMatchObject({ retracted: true, retractedBy: '00000000-0000-4000-8000-000000000004' });
    expect(applyFix(entries, envelope('EventRetracted', { targetEventId: 'elsewhere', reason: 'x' }, 5))).toBe(entries);
  });
});
