import { AuditStore } from '@ledger/audit';
import { ValidationFailed } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { openReadModelDb, type LedgerConfig, type ReadModelDb } from '@ledger/platform';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BadInputError } from '../exit-codes';
import { openCliLedger } from '../support/ledger-store';

/** The log and the audit record of the configured data dir, opened for one CLI command. */
export interface AuditSession {
  config: LedgerConfig;
  store: EventStore;
  readModel: ReadModelDb;
  audit: AuditStore;
  close(): Promise<void>;
}

export async function openAuditSession(env: NodeJS.ProcessEnv = process.env): Promise<AuditSession> {
  const dataDir = env.LEDGER_DATA_DIR || './data';
  if ((env.LEDGER_STORE ?? 'sqlite') === 'sqlite' && !existsSync(join(dataDir, 'ledger.sqlite'))) {
    // auditing must not create an empty ledger and then call it verified
    throw new BadInputError(`no ledger in ${dataDir} (set --data-dir or LEDGER_DATA_DIR)`);
  }
  const ledger = await openCliLedger(env);
  const readModel = await openReadModelDb(ledger.config).catch(async (error) => {
    await ledger.close();
    throw error;
  });
  const audit = new AuditStore(readModel);
  await audit.migrate();
  return {
    config: ledger.config,
    store: ledger.store,
    readModel,
    audit,
    close: async () => {
      await readModel.close();
      await ledger.close();
    },
  };
}

/** Field errors read better on a terminal as one line each. */
export function explainInvalid<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ValidationFailed) {
      const lines = error.errors.map((e) => `  --${kebab(e.field)}: ${e.reasons.join('; ')}`);
      throw new BadInputError(`invalid options:\n${lines.join('\n')}`);
    }
    throw error;
  }
}

export const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
