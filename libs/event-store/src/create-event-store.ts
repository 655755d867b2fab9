import type { LedgerConfig } from '@ledger/platform';
import { join } from 'node:path';
import { StoreUnavailableError } from './errors';
import type { EventStore } from './event-store.port';
import type { ConnectEsdbOptions } from './esdb/connect-esdb';
import { SqliteEventStore } from './sqlite/sqlite.event-store';

export interface CreateEventStoreOptions extends Pick<ConnectEsdbOptions, 'logger' | 'retries' | 'initialDelayMs' | 'maxDelayMs'> {
  /** Record time; the app passes `() => clock.now()`. */
  clock?: () => Date;
}

/**
 * The configured log: the embedded SQLite file `<dataDir>/ledger.sqlite`, or EventStoreDB
 * (`LEDGER_STORE=esdb`), reached with retries. The EventStoreDB client is loaded only when
 * it is used. Unreachable or misconfigured → StartupError, which the CLI prints and exits on.
 */
export async function createEventStore(
  config: Pick<LedgerConfig, 'store' | 'dataDir' | 'eventstoreConnectionString'>,
  options: CreateEventStoreOptions = {},
): Promise<EventStore> {
  if (config.store === 'sqlite') {
    return new SqliteEventStore({ file: join(config.dataDir, 'ledger.sqlite'), clock: options.clock });
  }
  if (config.store !== 'esdb') throw await startupError(`unknown LEDGER_STORE "${String(config.store)}"`);
  if (!config.eventstoreConnectionString) {
    throw await startupError('LEDGER_STORE=esdb needs EVENTSTORE_CONNECTION_STRING (esdb://host:2113?tls=false)');
  }
  const { connectEsdb } = await import('./esdb/connect-esdb');
  try {
    return await connectEsdb(config.eventstoreConnectionString, options);
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw await startupError(error.message);
    throw error;
  }
}

/** Loaded lazily: the event store does not otherwise depend on the platform library at run time. */
async function startupError(message: string): Promise<Error> {
  const { StartupError } = await import('@ledger/platform');
  return new StartupError(message);
}
