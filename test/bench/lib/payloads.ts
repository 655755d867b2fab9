import { randomUUID } from 'node:crypto';
import type { NewEvent } from '@ledger/domain';

/** A letter whose stored JSON is about 1 KB, as in the reference figures. */
export function letterData(i: number): Record<string, unknown> {
  return {
    letterId: `bench-${i}`,
    from: 'organization:us-doj',
    subject: 'Records on information sharing with federal immigration authorities',
    demands: [
      'All documents reflecting any orders, directives, instructions, or guidance to your law enforcement employees ' +
        '(including, but not limited to, police officers, correctional officers, and contract employees), whether formal or informal, ' +
        'that were distributed, produced, and/or in effect during the relevant timeframe, regarding whether and how these employees may, ' +
        'or may not, communicate with the Department of Justice, the Department of Homeland Security, and/or Immigration and Customs ' +
        'Enforcement, or their agents, whether directly or indirectly. ' + 'x'.repeat(200),
    ],
    threats: ['subpoena', 'funding-cut'],
  };
}

export const SOURCE = { publication: 'Bench', url: 'https://example.invalid/bench' };

export function letterEvent(i: number): NewEvent {
  return {
    eventId: randomUUID(),
    type: 'LetterSent',
    occurredAt: '2018-01-24',
    occurredAtPrecision: 'day',
    data: letterData(i),
    metadata: { source: SOURCE, recordedBy: 'bench', schemaVersion: 1 },
  };
}

export function jurisdictionLine(j: number): string {
  return JSON.stringify({
    type: 'JurisdictionRegistered',
    streamId: `jurisdiction-bench-${j}`,
    occurredAt: '2018-01-01',
    data: { name: `Bench ${j}`, kind: 'city', state: 'IL' },
    metadata: {},
  });
}

export function letterLine(j: number, i: number): string {
  return JSON.stringify({
    type: 'LetterSent',
    streamId: `jurisdiction-bench-${j}`,
    occurredAt: '2018-01-24',
    data: letterData(i),
    metadata: { source: SOURCE },
  });
}
