import { SqliteEventStore, type EventStore } from '@ledger/event-store';
import type { Clock, LedgerConfig } from '@ledger/platform';
import { join } from 'node:path';

/** Opens the configured event store. EventStoreDB is wired in by the esdb adapter's factory. */
export async function openEventStore(config: LedgerConfig, clock: Clock): Promise<EventStore> {
  if (config.store === 'sqlite') {
    return new SqliteEventStore({ file: join(config.dataDir, 'ledger.sqlite'), clock: () => clock.now() });
  }
  throw new Error(`LEDGER_STORE=${config.store} is not available in this build`);
}
