import type { EventEnvelope } from '@ledger/domain';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/**
 * One NDJSON line: the whole envelope, in a fixed key order. It carries everything the
 * hash covers plus position and hash, so an export can be verified offline, and its
 * `type/streamId/occurredAt/data/metadata` read back as import lines.
 */
export function ndjsonLine(e: EventEnvelope): string {
  return (
    JSON.stringify({
      position: e.position,
      eventId: e.eventId,
      type: e.type,
      streamId: e.streamId,
      revision: e.revision,
      occurredAt: e.occurredAt,
      occurredAtPrecision: e.occurredAtPrecision,
      recordedAt: e.recordedAt,
      data: e.data,
      metadata: e.metadata,
      prevHash: e.prevHash,
      hash: e.hash,
    }) + '\n'
  );
}

export const CSV_COLUMNS = [
  'position',
  'eventId',
  'type',
  'streamId',
  'revision',
  'occurredAt',
  'occurredAtPrecision',
  'recordedAt',
  'recordedBy',
  'data',
  'metadata',
  'prevHash',
  'hash',
] as const;

export const CSV_HEADER = CSV_COLUMNS.join(',') + '\r\n';

/** RFC 4180: quote a field when it holds a comma, a quote or a line break; double inner quotes. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV record; data and metadata are JSON text in their cells, so nothing is lost. */
export function csvRow(e: EventEnvelope): string {
  return (
    [
      String(e.position),
      e.eventId,
      e.type,
      e.streamId,
      String(e.revision),
      e.occurredAt,
      e.occurredAtPrecision,
      e.recordedAt,
      e.metadata.recordedBy,
      JSON.stringify(e.data),
      JSON.stringify(e.metadata),
      e.prevHash,
      e.hash,
    ]
      .map(csvField)
      .join(',') + '\r\n'
  );
}
