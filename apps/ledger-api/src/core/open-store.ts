import { createEventStore, type EventStore } from '@ledger/event-store';
import type { Clock, LedgerConfig } from '@ledger/platform';

/**
 * Opens the configured event store: `<dataDir>/ledger.sqlite`, or EventStoreDB
 * (LEDGER_STORE=esdb), reached with retries; unreachable → StartupError.
 */
export async function openEventStore(config: LedgerConfig, clock: Clock): Promise<EventStore> {
  return createEventStore(config, { clock: () => clock.now() });
}
