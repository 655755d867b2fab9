import { StoreUnavailableError } from '../errors';
import { backoffDelay, sleep, stderrLogger, type EsdbLogger } from './backoff';
import { describeEsdb } from './describe-esdb';
import { EsdbAccessDenied, EsdbUnavailable } from './esdb-client';
import { EsdbEventStore, type EsdbEventStoreOptions } from './esdb.event-store';

export interface ConnectEsdbOptions extends Omit<EsdbEventStoreOptions, 'connectionString'> {
  /** Further attempts after the first one fails (default 10; about a minute in all). */
  retries?: number;
  /** First wait between attempts, doubled each time (default 500 ms), up to maxDelayMs (default 10 s). */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** How long one attempt may wait for an answer (default 5 s): an unroutable host never refuses. */
  attemptTimeoutMs?: number;
  logger?: EsdbLogger;
}

/**
 * Opens the EventStoreDB store and makes sure the server answers before the ledger starts.
 * While it cannot be reached, says so in one line per attempt and retries with backoff; in
 * the end throws StoreUnavailableError("cannot reach EventStoreDB at host:port …") for the
 * caller to print and exit on, rather than crash with a stack trace and loop.
 */
export async function connectEsdb(connectionString: string, options: ConnectEsdbOptions = {}): Promise<EsdbEventStore> {
  const { retries = 10, initialDelayMs = 500, maxDelayMs = 10_000, attemptTimeoutMs = 5000, ...storeOptions } = options;
  const logger = options.logger ?? stderrLogger;
  const where = describeEsdb(connectionString);
  let store: EsdbEventStore;
  try {
    store = new EsdbEventStore({ ...storeOptions, logger, connectionString });
  } catch (error) {
    throw new StoreUnavailableError(`cannot use EVENTSTORE_CONNECTION_STRING for ${where}: ${(error as Error).message}`, { where });
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await withTimeout(store.probe(), attemptTimeoutMs);
      if (attempt > 0) logger.info?.(`reached EventStoreDB at ${where}`);
      return store;
    } catch (error) {
      if (error instanceof EsdbAccessDenied) {
        await store.close().catch(() => undefined);
        throw new StoreUnavailableError(`EventStoreDB at ${where} refused the ledger: ${error.message}`, { where });
      }
      if (!(error instanceof EsdbUnavailable)) {
        await store.close().catch(() => undefined);
        throw error;
      }
      if (attempt >= retries) {
        await store.close().catch(() => undefined);
        throw new StoreUnavailableError(
          `cannot reach EventStoreDB at ${where} (tried ${attempt + 1} times): ${error.message}`,
          { where, attempts: attempt + 1 },
        );
      }
      const delay = backoffDelay(attempt, { initialDelayMs, maxDelayMs });
      logger.warn(`cannot reach EventStoreDB at ${where} (${error.message}); retrying in ${delay} ms (attempt ${attempt + 1} of ${retries + 1})`);
      await sleep(delay);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EsdbUnavailable(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
