import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * better-sqlite3 as Kysely sees it, with prepared statements reused by SQL text. Kysely's
 * SQLite driver prepares every query afresh, and on a read model's point queries the
 * prepare costs more than the query. `all` and `run` finish synchronously, so one
 * statement can serve every caller; `iterate` (streamed results) stays open across turns
 * of the event loop and gets a statement of its own.
 */
export function withStatementCache(database: Database.Database, capacity = 500): SqliteDatabase {
  const statements = new Map<string, Database.Statement>();
  const cached = (sql: string): Database.Statement => {
    let stmt = statements.get(sql);
    if (stmt) {
      statements.delete(sql); // re-inserted below: Map order is least recently used first
    } else {
      stmt = database.prepare(sql);
      if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, stmt);
    return stmt;
  };
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      const stmt = cached(sql);
      return {
        reader: stmt.reader,
        all: (parameters) => stmt.all(parameters),
        run: (parameters) => stmt.run(parameters),
        iterate: (parameters) => database.prepare(sql).iterate(parameters),
      };
    },
  };
}
