import type { Command } from 'commander';
import { SANCTUARY_2018_PATH } from '@ledger/datasets';
import { relative } from 'node:path';
import { serve } from '../../../ledger-api/src/main';
import { EXIT } from '../exit-codes';
import { formatLineErrors, importFile } from '../support/import-file';
import { cliRecordedBy, openCliLedger } from '../support/ledger-store';

/** What the demo suggests opening, relative to the address. */
export const DEMO_LINKS = [
  ['the API docs', '/docs'],
  ['a jurisdiction', '/v1/jurisdictions/chicago-il'],
  ['its timeline', '/v1/timeline?jurisdiction=chicago-il'],
] as const;

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      'load the 2018 sanctuary-jurisdiction dataset into the data dir (idempotent: running it again adds nothing), ' +
        'then serve the ledger like `serve` and print what to open',
    )
    .option('-p, --port <port>', 'port to listen on (default 3000 or PORT)')
    .option('-H, --host <host>', 'address to bind (default 127.0.0.1 or HOST)')
    .addHelpText('after', '\nUses LEDGER_DATA_DIR (default ./data). Start afresh with a new or empty data dir.\nExample: LEDGER_DATA_DIR=/tmp/demo PORT=3001 ledger demo')
    .action(async (options: { port?: string; host?: string }) => {
      if (options.port) process.env.PORT = options.port;
      if (options.host) process.env.HOST = options.host;
      const ledger = await openCliLedger();
      let stored: number;
      try {
        const outcome = await importFile(ledger.importer, SANCTUARY_2018_PATH, { recordedBy: cliRecordedBy(), progress: false });
        if (!outcome.ok) {
          // Only when the data dir holds other records that contradict the dataset.
          for (const line of formatLineErrors(outcome.rejected.errors)) process.stderr.write(line + '\n');
          process.stderr.write(
            `ledger: the dataset does not fit the ledger in ${ledger.config.dataDir} (${outcome.rejected.message}); ` +
              'use an empty LEDGER_DATA_DIR for the demo.\n',
          );
          process.exitCode = EXIT.BAD_INPUT;
          return;
        }
        stored = outcome.report.appended;
        const near = relative(process.cwd(), SANCTUARY_2018_PATH);
        const file = near && !near.startsWith('..') ? near : SANCTUARY_2018_PATH;
        process.stdout.write(
          stored > 0
            ? `demo: imported ${stored} events from ${file} into ${ledger.config.dataDir}\n`
            : `demo: the dataset is loaded already (${outcome.report.skipped} events in ${ledger.config.dataDir}); nothing added\n`,
        );
      } finally {
        await ledger.close();
      }
      const address = await serve(process.env);
      const width = Math.max(...DEMO_LINKS.map(([label]) => label.length));
      process.stdout.write(
        '\nThe 2018 sanctuary-jurisdiction dispute is loaded. Open:\n' +
          DEMO_LINKS.map(([label, path]) => `  ${(label + ':').padEnd(width + 1)}  ${address}${path}\n`).join('') +
          'Stop with Ctrl+C.\n',
      );
    });
}
