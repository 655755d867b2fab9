import type { EventEnvelope } from '@ledger/domain';
import { CSV_COLUMNS, csvRow, ndjsonLine } from './export-format';

const event: EventEnvelope = {
  eventId: '0b6f2c1e-2c4a-4c57-9a55-0c1c5d1f6a01',
  type: 'StatementIssued',
  streamId: 'official-jeff-sessions',
  revision: 3,
  position: 42,
  occurredAt: '2018-01-24',
  occurredAtPrecision: 'day',
  recordedAt: '2018-01-24T18:00:00.000Z',
  data: { quote: 'He said, "no".\nThen left.' },
  metadata: { recordedBy: 'alice', schemaVersion: 1 },
  prevHash: '0'.repeat(64),
  hash: 'a'.repeat(64),
};

describe('export formats', () => {
  it('NDJSON: one line, the whole envelope, a fixed key order', () => {
    const line = ndjsonLine(event);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(Object.keys(JSON.parse(line))).toEqual(['position', 'eventId', 'type', 'streamId', 'revision', 'occurredAt', 'occurredAtPrecision', 'recordedAt', 'data', 'metadata', 'prevHash', 'hash']);
    expect(JSON.parse(line)).toEqual(event);
  });

  it('CSV: quotes cells with commas or quotes, doubling inner quotes', () => {
    const row = csvRow(event);
    expect(row.endsWith('\r\n')).toBe(true);
    expect(row).toContain(`,"${JSON.stringify(event.data).replace(/"/g, '""')}",`);
    expect(row.startsWith('42,0b6f2c1e-2c4a-4c57-9a55-0c1c5d1f6a01,StatementIssued,official-jeff-sessions,3,2018-01-24,day,2018-01-24T18:00:00.000Z,alice,')).toBe(true);
    expect(CSV_COLUMNS).toHaveLength(13);
  });
});
