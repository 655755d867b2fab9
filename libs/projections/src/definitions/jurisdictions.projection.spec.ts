import type { EventEnvelope } from '@ledger/domain';
import { foldProjection } from '../memory/fold';
import { jurisdictionSummary, jurisdictionView } from '../views/jurisdiction.view';
import { deriveJurisdiction } from '../views/jurisdiction.view';
import { jurisdictionDocuments, jurisdictionsProjection } from './jurisdictions.projection';

let position = 0;
const event = (streamId: string, type: string, data: Record<string, unknown>, occurredAt = '2018-01-24'): EventEnvelope =>
  ({
    eventId: `00000000-0000-4000-8000-${String(++position).padStart(12, '0')}`,
    type,
    streamId,
    occurredAt,
    recordedAt: `2026-01-01T00:00:${String(position % 60).padStart(2, '0')}Z`,
    position,
    data,
    metadata: {},
  }) as unknown as EventEnvelope;

describe('jurisdiction documents', () => {
  test('the stored view and summary are exactly JSON.stringify of the view and of its summary', () => {
    const a = 'jurisdiction-chicago-il';
    const b = 'jurisdiction-king-county-wa';
    const registration = event(a, 'JurisdictionRegistered', { name: 'City of Chicgo', kind: 'city', state: 'IL' });
    const letter = event(a, 'LetterSent', { letterId: 'l-1', from: 'organization:us-doj', subject: 'Records', threats: ['subpoena', 'funding-cut'], signedBy: 'official:x' });
    const second = event(a, 'LetterSent', { letterId: 'l-2', from: 'organization:us-doj', subject: 'More "records"\n', threats: [] });
    const correction = event(a, 'CorrectionRecorded', { targetEventId: registration.eventId, changes: [{ path: 'data.name', from: 'City of Chicgo', to: 'City of Chicago' }], reason: 'spelling' });
    const events = [
      registration,
      event(b, 'JurisdictionRegistered', { name: 'King County', kind: 'county', state: 'WA' }),
      letter,
      event(a, 'DeadlineSet', { deadlineId: 'd-1', letterId: 'l-1', dueAt: '2018-02-23', requirement: 'Produce' }),
      second,
      event(a, 'DeadlineSet', { deadlineId: 'd-2', letterId: 'l-2', dueAt: '2018-03-23' }),
      event(a, 'SubpoenaThreatened', { by: 'organization:us-doj', letterId: 'l-1', condition: 'if not produced' }, '2018-01-25'),
      event(a, 'FundingThreatened', { by: 'organization:us-doj', program: 'Byrne JAG', condition: 'compliance' }, '2018-01-20'),
      event(a, 'SubpoenaIssued', { by: 'organization:us-doj', subject: 'Records' }, '2018-03-01'),
      event(a, 'DeadlineLapsed', { deadlineId: 'd-1' }, '2018-02-24'),
      event(a, 'ResponseReceived', { letterId: 'l-2', completeness: 'partial', summary: 'Some' }, '2018-03-02'),
      correction,
      event(a, 'EventRetracted', { targetEventId: second.eventId, reason: 'recorded twice' }),
      event(b, 'LetterSent', { letterId: 'l-1', from: 'organization:us-doj', subject: 'Records', threats: ['subpoena'] }),
    ];
    for (let n = 1; n <= events.length; n++) {
      for (const state of foldProjection(jurisdictionsProjection, events.slice(0, n)).values()) {
        const view = jurisdictionView(state);
        const documents = jurisdictionDocuments(deriveJurisdiction(state));
        expect(documents.view).toBe(JSON.stringify(view));
        expect(documents.summary).toBe(JSON.stringify(jurisdictionSummary(view)));
      }
    }
  });
});
