import { resolve } from 'node:path';

/** Everything a ledger process reads from its environment, parsed once at start. */
export interface LedgerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** Where events live: the embedded SQLite log or EventStoreDB. */
  store: 'sqlite' | 'esdb';
  eventstoreConnectionString?: string;
  /** Where read models, checkpoints and delivery state live. */
  readModel: 'sqlite' | 'postgres';
  databaseUrl?: string;
  logLevel: string;
  /**
   * Run the projector, webhook dispatcher, checkpointer and deadline watcher on the api's
   * own thread (`LEDGER_BACKGROUND=true`, embedded mode). `thread` runs them in a worker
   * thread of the api process, `false` leaves them to `ledger worker`.
   */
  background: boolean;
  /** `LEDGER_BACKGROUND=thread`: the background work runs in a worker thread (background is then false). */
  backgroundThread: boolean;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === '') return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
  }
  return value as T;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<LedgerConfig> = {}): LedgerConfig {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number (got "${env.PORT}")`);
  const background = oneOf('LEDGER_BACKGROUND', env.LEDGER_BACKGROUND, ['true', 'thread', 'false'] as const, 'true');
  const config: LedgerConfig = {
    port,
    host: env.HOST || '127.0.0.1',
    dataDir: resolve(env.LEDGER_DATA_DIR || './data'),
    store: oneOf('LEDGER_STORE', env.LEDGER_STORE, ['sqlite', 'esdb'] as const, 'sqlite'),
    eventstoreConnectionString: env.EVENTSTORE_CONNECTION_STRING || undefined,
    readModel: oneOf('LEDGER_READ_MODEL', env.LEDGER_READ_MODEL, ['sqlite', 'postgres'] as const, 'sqlite'),
    databaseUrl: env.DATABASE_URL || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    background: background === 'true',
    backgroundThread: background === 'thread',
    ...overrides,
  };
  if (config.store === 'esdb' && !config.eventstoreConnectionString) {
    throw new ConfigError('LEDGER_STORE=esdb needs EVENTSTORE_CONNECTION_STRING (esdb://host:2113?tls=false)');
  }
  if (config.readModel === 'postgres' && !config.databaseUrl) {
    throw new ConfigError('LEDGER_READ_MODEL=postgres needs DATABASE_URL (postgres://user@host:5432/db)');
  }
  return config;
}
