import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { RawSqlite } from './raw-sqlite';

/**
 * The least storage work a rebuild of these tables needs, with no ledger code in it: the raw
 * reference's readAll of the log, then the tables a rebuild produced copied into a fresh file
 * by SQLite itself (`INSERT … SELECT` per table with the same schema, then the same indexes),
 * under the read model's own settings (WAL, synchronous=NORMAL, 64 MB cache). A rebuild must
 * read every event and write those rows and indexes; here no JavaScript touches either. The
 * copy also reads the rows back from the source file, which a rebuild does not, but it binds no
 * parameters and builds no statements, so the figure is generous. Returns events per second.
 */
export function rebuildBoundRate(logFile: string, rebuiltViews: string, outFile: string): number {
  removeDatabase(outFile);
  const started = process.hrtime.bigint();
  const log = new RawSqlite(logFile);
  const events = log.readAll(5000);
  log.close();
  const db = new Database(outFile);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('cache_size = -65536');
    db.prepare('attach ? as src').run(rebuiltViews);
    const schema = db
      .prepare(`select type, name, sql from src.sqlite_master where sql is not null and tbl_name like 'proj\\_%' escape '\\' and tbl_name <> 'proj_checkpoints'`)
      .all() as { type: string; name: string; sql: string }[];
    for (const table of schema.filter((o) => o.type === 'table')) {
      db.exec(table.sql);
      db.transaction(() => db.exec(`insert into main."${table.name}" select * from src."${table.name}"`))();
    }
    for (const index of schema.filter((o) => o.type === 'index')) db.exec(index.sql);
    db.exec('detach src');
  } finally {
    db.close();
  }
  const rate = events / (Number(process.hrtime.bigint() - started) / 1e9);
  removeDatabase(outFile);
  return rate;
}

function removeDatabase(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}
