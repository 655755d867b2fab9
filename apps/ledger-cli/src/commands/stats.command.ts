import type { EventEnvelope } from '@ledger/domain';
import { iterateAll } from '@ledger/event-store';
import { computeStats, knownEvents, type StatsView } from '@ledger/projections';
import type { Command } from 'commander';
import { BadInputError } from '../exit-codes';
import { openCliLedger } from '../support/ledger-store';

interface StatsOptions {
  asOf?: string;
  knownAt?: string;
  json?: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

export function registerStats(program: Command): void {
  program
    .command('stats')
    .description('counts by event type, state, status, kind and party, folded from the log by the same code as GET /v1/stats')
    .option('--as-of <date>', 'valid time: as things stood in the world then (YYYY-MM-DD or an ISO timestamp)')
    .option('--known-at <date>', 'record time: as the ledger knew them then')
    .option('--json', 'print the counts as JSON (the shape of GET /v1/stats)')
    .addHelpText('after', '\nReads the data dir\'s log directly; no server needed.\nExample: ledger stats --as-of 2018-01-23')
    .action(async (options: StatsOptions) => {
      for (const [flag, value] of [['--as-of', options.asOf], ['--known-at', options.knownAt]] as const) {
        if (value !== undefined && (!DATE.test(value) || Number.isNaN(Date.parse(value)))) {
          throw new BadInputError(`${flag} must be a date (YYYY-MM-DD) or an ISO timestamp (got "${value}")`);
        }
      }
      const ledger = await openCliLedger(process.env, { mustExist: true });
      let stats: StatsView;
      try {
        // Every event: a point-in-time fold needs the targets of corrections wherever they sit.
        const events: EventEnvelope[] = [];
        for await (const event of iterateAll(ledger.store)) events.push(event);
        stats = computeStats(options.asOf || options.knownAt ? knownEvents(events, { asOf: options.asOf, knownAt: options.knownAt }) : events);
      } finally {
        await ledger.close();
      }
      process.stdout.write(options.json ? `${JSON.stringify(stats, null, 2)}\n` : describe(stats));
    });
}

/** A short report: totals, then each breakdown on one line, largest first. */
export function describe(stats: StatsView): string {
  const counts = (record: Record<string, number>) =>
    Object.entries(record)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1))
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || '—';
  const rows: [string, string][] = [
    ['events', `${stats.events.live} standing of ${stats.events.total} recorded`],
    ['  by type', counts(stats.events.byType)],
    ['jurisdictions', String(stats.jurisdictions.total)],
    ['  by state', counts(stats.jurisdictions.byState)],
    ['  by status', counts(stats.jurisdictions.byStatus)],
    ['  by kind', counts(stats.jurisdictions.byKind)],
    ['officials', String(stats.officials.total)],
    ['  by party', counts(stats.officials.byParty)],
    ['organizations', String(stats.organizations.total)],
    ['meetings', String(stats.meetings.total)],
    ['statements', String(stats.statements.total)],
    ['boycotts', String(stats.boycotts.total)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join('');
}
