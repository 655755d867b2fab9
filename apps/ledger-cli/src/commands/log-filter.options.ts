import type { LogFilter } from '@ledger/audit';
import type { Command } from 'commander';
import { LOG_FILTER_PARAMS, readLogFilter } from '../../../ledger-api/src/audit/log-filter.query';
import { QueryReader } from '../../../ledger-api/src/audit/query-reader';
import { explainInvalid } from './audit-session';

/** The timeline/export filters as options, checked by the same reader as the HTTP query. */
export function addLogFilterOptions(command: Command): Command {
  return command
    .option('--jurisdiction <id>', 'events of a jurisdiction and events naming it (chicago-il)')
    .option('--actor <ref>', 'events of an actor and events naming it (official:jeff-sessions)')
    .option('--type <types>', 'event types, comma-separated (LetterSent,BoycottDeclared)')
    .option('--stream-id <id>', 'one stream (jurisdiction-chicago-il)')
    .option('--occurred-from <date>', 'valid time from (2018-01-24 or an instant with offset)')
    .option('--occurred-to <date>', 'valid time to, inclusive')
    .option('--recorded-from <date>', 'record time from')
    .option('--recorded-to <date>', 'record time to, inclusive');
}

/** Reads the filter (and any extra options through `more`), failing with every bad option listed. */
export function readFilterOptions<T = undefined>(
  options: Record<string, unknown>,
  extra: string[] = [],
  more?: (reader: QueryReader) => T,
): { filter: LogFilter; extra: T } {
  const query: Record<string, unknown> = {};
  for (const name of [...LOG_FILTER_PARAMS, ...extra]) if (options[name] !== undefined) query[name] = String(options[name]);
  return explainInvalid(() => {
    const reader = new QueryReader(query, [...LOG_FILTER_PARAMS, ...extra]);
    const filter = readLogFilter(reader);
    const read = more?.(reader) as T;
    reader.done();
    return { filter, extra: read };
  });
}
