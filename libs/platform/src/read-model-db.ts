import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Pool } from 'pg';
import type { LedgerConfig } from './config';
import { withStatementCache } from './statement-cache';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The read-model database: projections' tables and checkpoints, webhook delivery state.
 * Kept apart from the event log's file on purpose: Kysely transactions span several
 * turns of the event loop, and sharing the log's write lock with them would stall the
 * synchronous group commit.
 */
export interface ReadModelDb {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly db: Kysely<any>;
  /**
   * What queries of the views read through. On a SQLite file, a second handle opened
   * read-only: Kysely's SQLite driver has one connection and holds it for a whole
   * transaction, across turns of the event loop, so reads through `db` queue behind the
   * projector's batches and a rebuild's flushes. In WAL mode a reader neither waits for
   * the writer nor blocks it, and sees the last commit. Elsewhere the same as `db`.
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly reads: Kysely<any>;
  /**
   * SQLite files only: runs a compiled read on the read-only handle at once, without
   * Kysely's executor (its connection lock and result plumbing cost about as much as the
   * point query itself). Safe because nothing else ever holds that handle.
   */
  readonly readNow?: <Row>(sql: string, parameters: readonly unknown[]) => Row[];
  readonly dialect: Dialect;
  /** Human-readable location, for logs and errors. */
  readonly location: string;
  close(): Promise<void>;
}

export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

export async function openReadModelDb(config: Pick<LedgerConfig, 'readModel' | 'databaseUrl' | 'dataDir'>): Promise<ReadModelDb> {
  if (config.readModel === 'postgres') return openPostgres(config.databaseUrl!);
  return openSqliteReadModel(join(config.dataDir, 'views.sqlite'));
}

/** SQLite's compiled-in maximum for mmap_size (better-sqlite3 builds with the default, 0x7fff0000). */
export const READ_MODEL_MMAP_BYTES = 0x7fff0000;

export function openSqliteReadModel(file: string): ReadModelDb {
  if (file !== ':memory:') mkdirSync(join(file, '..'), { recursive: true });
  const database = new Database(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL'); // rebuildable from the log
  database.pragma('busy_timeout = 5000');
  // Pages are read through a memory map instead of a read() call and a copy each. On a large
  // read model most of the file is in the OS's cache but not in SQLite's own, and a single
  // view's two point queries touch a dozen pages: mapped, they took about a third less time
  // (1M-event views file, alternating runs: 19–26 against 28–42 µs). Writes still go through
  // the WAL. The size is SQLite's upper bound (2 GB); a larger file reads the rest as before.
  // Mapped pages count in the process's RSS, but the kernel can drop them like any cached page.
  database.pragma(`mmap_size = ${READ_MODEL_MMAP_BYTES}`);
  const db = new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  // An in-memory database is private to its handle: there, reads share the one connection.
  if (file === ':memory:') return { db, reads: db, dialect: 'sqlite', location: file, close: () => db.destroy() };
  // Safe where a second writing handle is not (see ProjectionsService): a read takes no lock
  // the writer waits for, and its transaction ends within one synchronous call.
  const reader = new Database(file, { readonly: true });
  reader.pragma('busy_timeout = 5000');
  reader.pragma(`mmap_size = ${READ_MODEL_MMAP_BYTES}`);
  const readerStatements = withStatementCache(reader);
  const reads = new Kysely({ dialect: new SqliteDialect({ database: readerStatements }) });
  return {
    db,
    reads,
    readNow: <Row>(text: string, parameters: readonly unknown[]) => readerStatements.prepare(text).all(parameters) as Row[],
    dialect: 'sqlite',
    location: file,
    close: async () => {
      await reads.destroy();
      await db.destroy();
    },
  };
}

export async function openPostgres(url: string): Promise<ReadModelDb> {
  const where = describePostgres(url);
  const pool = new Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw new StartupError(`cannot reach PostgreSQL at ${where}: ${(error as Error).message}`);
  }
  return { db, reads: db, dialect: 'postgres', location: where, close: () => db.destroy() };
}

/** host:port/db without the password, for messages. */
export function describePostgres(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
