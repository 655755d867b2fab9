import Database from 'better-sqlite3';

/** The triggers that make the log append-only (libs/event-store/src/sqlite/sqlite-schema.ts). */
export const PROTECTIVE_TRIGGERS = ['events_are_append_only_update', 'events_are_append_only_delete'];

/**
 * Edits the log file the way someone with shell access to the server could: a separate
 * connection, the protective triggers dropped first.
 */
export function tamper(file: string, edit: (db: Database.Database) => void): void {
  const db = new Database(file);
  try {
    for (const trigger of PROTECTIVE_TRIGGERS) db.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
    db.transaction(() => edit(db))();
  } finally {
    db.close();
  }
}

export function swapPositions(db: Database.Database, a: number, b: number): void {
  db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(a);
  db.prepare('UPDATE events SET position = ? WHERE position = ?').run(a, b);
  db.prepare('UPDATE events SET position = ? WHERE position = -1').run(b);
}
