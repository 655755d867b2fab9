import { iterateAll, type EventStore } from '@ledger/event-store';
import { Readable } from 'node:stream';
import { compileFilter, storeFilter, type LogFilter } from '../timeline/log-filter';
import { CSV_HEADER, csvRow, ndjsonLine, type ExportFormat } from './export-format';

/**
 * Chunks stay well under V8's large-object threshold, so each one is born and dies in the
 * young generation instead of piling up in old space until a full collection: this is what
 * keeps a million-event export's peak RSS flat.
 */
const CHUNK_CHARS = 48 * 1024;

export interface ExportOptions {
  format: ExportFormat;
  filter?: LogFilter;
  /** Events read from the store per page. */
  pageSize?: number;
}

/**
 * The log as text chunks, one page at a time. Pulled, never pushed: the next page is read
 * only when the consumer asks for more, so memory stays flat however long the log is.
 */
export async function* exportChunks(store: EventStore, options: ExportOptions): AsyncGenerator<string> {
  const filter = options.filter ?? {};
  const matches = compileFilter(filter, (id) => store.getEvent(id));
  const line = options.format === 'csv' ? csvRow : ndjsonLine;
  if (options.format === 'csv') yield CSV_HEADER;
  let lines: string[] = [];
  let size = 0;
  for await (const event of iterateAll(store, { ...storeFilter(filter), pageSize: options.pageSize ?? 500 })) {
    if (filter.toPosition !== undefined && event.position > filter.toPosition) break;
    const match = matches(event);
    if (!(typeof match === 'boolean' ? match : await match)) continue;
    const text = line(event);
    lines.push(text);
    size += text.length;
    if (size >= CHUNK_CHARS) {
      yield lines.join('');
      lines = [];
      size = 0;
    }
  }
  if (lines.length) yield lines.join('');
}

/** A Node stream with backpressure (Readable.from pulls from the generator on demand). */
export function exportStream(store: EventStore, options: ExportOptions): Readable {
  return Readable.from(exportChunks(store, options), { objectMode: false, highWaterMark: 64 * 1024 });
}
