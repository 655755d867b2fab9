import type { EventEnvelope } from '@ledger/domain';
import { BEFORE_FIRST, type EventStore } from '@ledger/event-store';
import { Readable } from 'node:stream';
import { compileFilter, storeFilter, type EventMatcher, type LogFilter } from '../timeline/log-filter';
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
  const pageSize = options.pageSize ?? 200;
  const { after: start, ...pushed } = storeFilter(filter);
  if (options.format === 'csv') yield CSV_HEADER;
  let after = start ?? BEFORE_FIRST;
  for (;;) {
    const page = await store.readAll({ ...pushed, after, limit: pageSize });
    // The whole page becomes text before anything is yielded: its objects are garbage before
    // the consumer's I/O waits, so they die young instead of being promoted to old space.
    const chunks = await pageToChunks(page, filter.toPosition, matches, line);
    const last = page.length ? page[page.length - 1].position : after;
    const done = page.length < pageSize || (filter.toPosition !== undefined && last >= filter.toPosition);
    after = last;
    for (const chunk of chunks) yield chunk;
    if (done) return;
  }
}

async function pageToChunks(page: EventEnvelope[], toPosition: number | undefined, matches: EventMatcher, line: (e: EventEnvelope) => string): Promise<string[]> {
  const chunks: string[] = [];
  let lines: string[] = [];
  let size = 0;
  for (const event of page) {
    if (toPosition !== undefined && event.position > toPosition) break;
    const match = matches(event);
    if (!(typeof match === 'boolean' ? match : await match)) continue;
    const text = line(event);
    lines.push(text);
    size += text.length;
    if (size >= CHUNK_CHARS) {
      chunks.push(lines.join(''));
      lines = [];
      size = 0;
    }
  }
  if (lines.length) chunks.push(lines.join(''));
  return chunks;
}

/** A Node stream with backpressure (Readable.from pulls from the generator on demand). */
export function exportStream(store: EventStore, options: ExportOptions): Readable {
  return Readable.from(exportChunks(store, options), { objectMode: false, highWaterMark: 64 * 1024 });
}
