import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';

/**
 * The floor the ledger is measured against: better-sqlite3 with the same pragmas as the
 * ledger's log (WAL, synchronous=FULL) and no ledger logic at all.
 */
export class RawSqlite {
  readonly db: Database.Database;
  private readonly insert: Database.Statement;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS events (
      position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, stream_id TEXT NOT NULL, revision INTEGER NOT NULL,
      type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, UNIQUE (stream_id, revision))`);
    this.insert = this.db.prepare('INSERT INTO events (event_id, stream_id, revision, type, data, metadata) VALUES (?, ?, ?, ?, ?, ?)');
  }

  /** One transaction (one fsync) per event. */
  insertOneByOne(count: number, data: (i: number) => object, streams = 1000, offset = 0): void {
    const one = this.db.transaction((i: number) => this.row(i, data, streams));
    for (let i = offset; i < offset + count; i++) one(i);
  }

  /** Transactions of `batch` events. */
  insertBatched(count: number, data: (i: number) => object, batch = 100, streams = 1000, offset = 0): void {
    const many = this.db.transaction((from: number, to: number) => {
      for (let i = from; i < to; i++) this.row(i, data, streams);
    });
    for (let i = offset; i < offset + count; i += batch) many(i, Math.min(i + batch, offset + count));
  }

  private row(i: number, data: (i: number) => object, streams: number): void {
    this.insert.run(randomUUID(), `jurisdiction-raw-${i % streams}`, Math.floor(i / streams), 'LetterSent', JSON.stringify(data(i)), '{"recordedBy":"bench"}');
  }

  /** SELECT every row, JSON parsed, in pages like a reader would. */
  readAll(page = 1000): number {
    const stmt = this.db.prepare('SELECT * FROM events WHERE position > ? ORDER BY position LIMIT ?');
    let after = 0;
    let n = 0;
    for (;;) {
      const rows = stmt.all(after, page) as { position: number; data: string; metadata: string }[];
      for (const r of rows) {
        JSON.parse(r.data);
        JSON.parse(r.metadata);
      }
      n += rows.length;
      if (rows.length < page) return n;
      after = rows[rows.length - 1].position;
    }
  }

  close(): void {
    this.db.close();
  }
}

/** The raw readAll's rate over a file's `events` table (the ledger's own log or the raw inserts'), in events per second. */
export function rawReadAllRate(file: string, page = 1000): number {
  const db = new RawSqlite(file);
  try {
    const started = process.hrtime.bigint();
    const n = db.readAll(page);
    return n / (Number(process.hrtime.bigint() - started) / 1e9);
  } finally {
    db.close();
  }
}
