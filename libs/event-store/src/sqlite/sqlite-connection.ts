import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export interface OpenOptions {
  /** FULL for the log (an acknowledged append survives power loss); NORMAL for rebuildable data. */
  synchronous?: 'FULL' | 'NORMAL';
  readonly?: boolean;
}

/** Opens a SQLite file in WAL mode, creating its folder; the one place pragmas are set. */
export function openSqlite(file: string, options: OpenOptions = {}): Database.Database {
  if (file !== ':memory:' && !options.readonly) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (!options.readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
  }
  return db;
}
