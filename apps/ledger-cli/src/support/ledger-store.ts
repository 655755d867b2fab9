import type { EventStore } from '@ledger/event-store';
import { loadConfig, systemClock, type LedgerConfig } from '@ledger/platform';
import { Importer, Recorder } from '@ledger/recorder';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { openEventStore } from '../../../ledger-api/src/core/open-store';
import { BadInputError } from '../exit-codes';
import { checkDataDir } from './data-dir';

export interface CliLedger {
  config: LedgerConfig;
  store: EventStore;
  importer: Importer;
  close(): Promise<void>;
}

export interface OpenCliLedgerOptions {
  /** Read-only commands: refuse a data dir with no ledger rather than create an empty one. */
  mustExist?: boolean;
}

/** The event store with the api's settings (LEDGER_STORE, LEDGER_DATA_DIR, …) and the write side over it. */
export async function openCliLedger(env: NodeJS.ProcessEnv = process.env, options: OpenCliLedgerOptions = {}): Promise<CliLedger> {
  const config = loadConfig(env);
  if (config.store === 'sqlite') {
    if (options.mustExist && !existsSync(join(config.dataDir, 'ledger.sqlite'))) {
      throw new BadInputError(`no ledger in ${config.dataDir} (set --data-dir or LEDGER_DATA_DIR)`);
    }
    checkDataDir(config.dataDir);
  }
  let store: EventStore;
  try {
    store = await openEventStore(config, systemClock);
  } catch (error) {
    // A corrupt or foreign ledger.sqlite: say where, in one line.
    if ((error as { code?: string })?.code?.startsWith?.('SQLITE_')) {
      throw new BadInputError(`cannot open the ledger in ${config.dataDir}: ${(error as Error).message}`);
    }
    throw error;
  }
  const recorder = new Recorder(store, systemClock);
  return { config, store, importer: new Importer(store, recorder, systemClock), close: () => store.close() };
}

/** Who the CLI records as: LEDGER_RECORDED_BY, or `cli:<os user>`. */
export function cliRecordedBy(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LEDGER_RECORDED_BY) return env.LEDGER_RECORDED_BY;
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli:unknown';
  }
}
