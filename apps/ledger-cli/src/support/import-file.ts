import type { FieldError } from '@ledger/domain';
import { ImportRejected, type Importer, type ImportReport } from '@ledger/recorder';
import { SingleBar } from 'cli-progress';
import { createReadStream, statSync, type ReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { BadInputError } from '../exit-codes';
import { describe } from './data-dir';

/** Files at least this large get a progress bar on a terminal. */
const PROGRESS_FROM_BYTES = 1024 * 1024;

export interface ImportFileOptions {
  recordedBy: string;
  partial?: boolean;
  /** true: always draw the bar; false: never; undefined: on a terminal, for large files. */
  progress?: boolean;
}

export type ImportOutcome = { ok: true; report: ImportReport } | { ok: false; rejected: ImportRejected };

/** Checks the file is there and readable before anything is opened: one clear line if not. */
export function checkImportFile(file: string): number {
  if (file === '-') return 0;
  let size: number;
  try {
    const stat = statSync(file);
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = stat.size;
  } catch (error) {
    throw new BadInputError(`cannot read the import file ${file}: ${describe(error)}`);
  }
  return size;
}

/**
 * Streams the file line by line into the importer (constant memory for reading; the importer
 * keeps only the accepted commands), with a progress bar by bytes read. A rejected import
 * is an outcome, not an exception: the caller prints its lines.
 */
export async function importFile(importer: Importer, file: string, options: ImportFileOptions): Promise<ImportOutcome> {
  const size = checkImportFile(file);
  const input: Readable = file === '-' ? process.stdin : createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    if (file === '-') return resolve();
    input.once('open', () => resolve());
    input.once('error', (error) => reject(new BadInputError(`cannot read the import file ${file}: ${describe(error)}`)));
  });
  await opened;
  const bar = progressBar(size, options.progress);
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    const report = await importer.importLines(lines, {
      recordedBy: options.recordedBy,
      partial: options.partial,
      onProgress: bar ? () => bar.update((input as ReadStream).bytesRead ?? 0) : undefined,
    });
    return { ok: true, report };
  } catch (error) {
    if (error instanceof ImportRejected) return { ok: false, rejected: error };
    throw error;
  } finally {
    if (bar) {
      bar.update(size);
      bar.stop();
    }
    lines.close();
    if (file !== '-') input.destroy();
  }
}

function progressBar(size: number, wanted: boolean | undefined): SingleBar | null {
  const show = wanted ?? (Boolean(process.stderr.isTTY) && size >= PROGRESS_FROM_BYTES);
  if (!show || size === 0) return null;
  const bar = new SingleBar({
    stream: process.stderr,
    format: 'checking {bar} {percentage}% | {value}/{total} bytes',
    noTTYOutput: wanted === true,
    notTTYSchedule: 1000,
    hideCursor: true,
  });
  bar.start(size, 0);
  return bar;
}

/** `line 12: data.name: name should not be empty` — one output line per bad input line. */
export function formatLineErrors(errors: readonly FieldError[]): string[] {
  const byLine = new Map<number, FieldError[]>();
  for (const error of errors) {
    const line = error.line ?? 0;
    byLine.set(line, [...(byLine.get(line) ?? []), error]);
  }
  return [...byLine.entries()]
    .sort(([a], [b]) => a - b)
    .map(([line, list]) => {
      const parts = list.map((e) => (e.field === '(line)' ? e.reasons.join('; ') : `${e.field}: ${e.reasons.join('; ')}`));
      return `line ${line}: ${parts.join('; ')}`;
    });
}

export function summarize(report: ImportReport): string {
  const head = report.lastPosition === null ? '' : `; the ledger's head is at position ${report.lastPosition}`;
  return `${report.lines} lines: ${report.appended} stored, ${report.skipped} already in the ledger, ${report.rejected} refused${head}`;
}
