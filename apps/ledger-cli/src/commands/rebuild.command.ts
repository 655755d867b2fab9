import { ALL_PROJECTIONS, rebuildProjections } from '@ledger/projections';
import { openReadModelDb } from '@ledger/platform';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { BadInputError } from '../exit-codes';
import { openCliLedger } from '../support/ledger-store';

export function registerRebuild(program: Command): void {
  program
    .command('rebuild')
    .argument('[name]', `one projection (${ALL_PROJECTIONS.map((p) => p.name).join(', ')}); all when omitted`)
    .description(
      'rebuild projections from the first event into shadow tables and swap them in (queries keep reading the old ones); ' +
        'if a server or worker is projecting, it is asked to do it and this command follows its progress',
    )
    .option('--json', 'print the outcome as JSON')
    .action(async (name: string | undefined, options: { json?: boolean }) => {
      if (name && !ALL_PROJECTIONS.some((p) => p.name === name)) {
        throw new BadInputError(`no projection named ${name}; known: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}`);
      }
      const ledger = await openCliLedger();
      const readModel = await openReadModelDb(ledger.config).catch(async (error) => {
        await ledger.close();
        throw error;
      });
      const bar = process.stderr.isTTY
        ? new SingleBar({ format: 'rebuild [{bar}] {percentage}% | position {value}/{total} | {duration_formatted}', stream: process.stderr, hideCursor: true })
        : null;
      let started = false;
      try {
        const outcome = await rebuildProjections(ledger.store, readModel, {
          names: name ? [name] : undefined,
          databaseUrl: ledger.config.databaseUrl,
          onProgress: ({ position, head }) => {
            if (!bar) return;
            if (!started) bar.start(Math.max(head, 1), 0);
            started = true;
            bar.update(Math.max(0, Math.min(position, head)));
          },
        });
        if (started) bar?.update(bar.getTotal());
        bar?.stop();
        process.stdout.write(
          options.json
            ? `${JSON.stringify(outcome)}\n`
            : `rebuilt ${outcome.names.join(', ')} up to position ${outcome.position} in ${(outcome.ms / 1000).toFixed(1)} s` +
                `${outcome.by === 'leader' ? ' (by the running projector)' : ''}\n`,
        );
      } finally {
        bar?.stop();
        await readModel.close();
        await ledger.close();
      }
    });
}
