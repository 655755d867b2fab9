import { iterateAll, type EventStore } from '@ledger/event-store';
import { Readable } from 'node:stream';
import { compileFilter, storeFilter, type LogFilter } from '../timeline/log-filter';
import { CSV_HEADER, csvRow, ndjsonLine, type ExportFormat } from './export-format';

export interface ExportOptions {
  format: ExportFormat;
  filter?: LogFilter;
  /** Events read per page; one page is one chunk. */
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
  const pageSize = options.pageSize ?? 1000;
  if (options.format === 'csv') yield CSV_HEADER;
  let chunk = '';
  let inChunk = 0;
  for await (const event of iterateAll(store, { ...storeFilter(filter), pageSize })) {
    if (filter.toPosition !== undefined && event.position > filter.toPosition) break;
    const match = matches(event);
    if (!(typeof match === 'boolean' ? match : await match)) continue;
    chunk += line(event);
    if (++inChunk === pageSize) {
      yield chunk;
      chunk = '';
      inChunk = 0;
    }
  }
  if (chunk) yield chunk;
}

/** A Node stream with backpressure (Readable.from pulls from the generator on demand). */
export function exportStream(store: EventStore, options: ExportOptions): Readable {
  return Readable.from(exportChunks(store, options), { objectMode: false, highWaterMark: 64 * 1024 });
}
