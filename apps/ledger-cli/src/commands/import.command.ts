import type { Command } from 'commander';
import { EXIT } from '../exit-codes';
import { importFile, checkImportFile, formatLineErrors, summarize } from '../support/import-file';
import { cliRecordedBy, openCliLedger } from '../support/ledger-store';

interface ImportOptions {
  partial?: boolean;
  progress?: boolean;
  json?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import an NDJSON file of events (one import line per row; "-" reads stdin). Every line is checked first; ' +
        'if any is bad, each is reported with its line number and nothing is stored. Lines whose eventId is ' +
        'already stored with the same content are skipped, so a re-import adds nothing.',
    )
    .argument('<file>', 'the NDJSON file')
    .option('--partial', 'store the good lines even when some are bad (the bad ones are still reported, and the exit code is 2)')
    .option('--progress', 'always show a progress bar (default: on a terminal, for files of 1 MB or more)')
    .option('--no-progress', 'never show a progress bar')
    .option('--json', 'print the report as JSON on stdout')
    .addHelpText(
      'after',
      '\nRecorded as LEDGER_RECORDED_BY, or cli:<os user>. Uses the api\'s store settings (LEDGER_DATA_DIR, LEDGER_STORE, …).\n' +
        'Exit codes: 0 all lines stored or already present, 2 a line was refused, the file is missing or the data dir is unusable.\n' +
        'Example: ledger import libs/datasets/sanctuary-2018.ndjson',
    )
    .action(async (file: string, options: ImportOptions) => {
      checkImportFile(file);
      const ledger = await openCliLedger();
      try {
        const outcome = await importFile(ledger.importer, file, {
          recordedBy: cliRecordedBy(),
          partial: options.partial,
          progress: options.progress,
        });
        if (!outcome.ok) {
          const { rejected } = outcome;
          if (options.json) process.stdout.write(JSON.stringify({ code: rejected.code, detail: rejected.message, errors: rejected.errors }) + '\n');
          for (const line of formatLineErrors(rejected.errors)) process.stderr.write(line + '\n');
          process.stderr.write(`${rejected.message} Fix the lines above, or use --partial to store the good ones.\n`);
          process.exitCode = EXIT.BAD_INPUT;
          return;
        }
        const { report } = outcome;
        for (const line of formatLineErrors(report.errors)) process.stderr.write(line + '\n');
        process.stdout.write((options.json ? JSON.stringify(report) : summarize(report)) + '\n');
        process.exitCode = report.rejected > 0 ? EXIT.BAD_INPUT : EXIT.OK;
      } finally {
        await ledger.close();
      }
    });
}
