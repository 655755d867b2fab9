import { EXPORT_FORMATS, exportStream, isExportFormat } from '@ledger/audit';
import type { Command } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Readable, Writable } from 'node:stream';
import { BadInputError } from '../exit-codes';
import { openAuditSession } from './audit-session';
import { addLogFilterOptions, readFilterOptions } from './log-filter.options';

interface ExportOptions extends Record<string, unknown> {
  format: string;
  out?: string;
}

export function registerExport(program: Command): void {
  addLogFilterOptions(
    program
      .command('export')
      .description('write the log (or a filtered range) as NDJSON envelopes or CSV, in constant memory')
      .option('-f, --format <format>', `${EXPORT_FORMATS.join(' or ')}`, 'ndjson')
      .option('-o, --out <file>', 'write to a file instead of stdout')
      .option('--after-position <n>', 'only events after this position')
      .option('--to-position <n>', 'only events up to this position'),
  ).action(async (options: ExportOptions) => {
    if (!isExportFormat(options.format)) throw new BadInputError(`--format must be ${EXPORT_FORMATS.join(' or ')}`);
    const { filter, extra } = readFilterOptions(options, ['afterPosition', 'toPosition'], (reader) => ({
      afterPosition: reader.int('afterPosition', -1, Number.MAX_SAFE_INTEGER),
      toPosition: reader.int('toPosition', 0, Number.MAX_SAFE_INTEGER),
    }));
    const session = await openAuditSession();
    try {
      const source = exportStream(session.store, { format: options.format, filter: { ...filter, ...extra } });
      const target = options.out ? createWriteStream(options.out) : process.stdout;
      await copy(source, target, Boolean(options.out));
      if (options.out) process.stderr.write(`ledger: export written to ${options.out}\n`);
    } finally {
      await session.close();
    }
  });
}

/** Honours backpressure; ends a file but never stdout. */
async function copy(source: Readable, target: Writable, end: boolean): Promise<void> {
  for await (const chunk of source) {
    if (!target.write(chunk)) await once(target, 'drain');
  }
  if (end) {
    target.end();
    await once(target, 'finish');
  }
}
