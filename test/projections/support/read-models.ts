import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPostgres, openSqliteReadModel, type ReadModelDb } from '@ledger/platform';
import { createTestDatabase } from '../../support/postgres';

export type ReadModelKind = 'sqlite' | 'postgres';
export const READ_MODEL_KINDS: ReadModelKind[] = ['sqlite', 'postgres'];

export interface TestReadModel {
  kind: ReadModelKind;
  /** Opens another connection (pool) to the same database, as a second process would. */
  open(): Promise<ReadModelDb>;
  url?: string;
  file?: string;
  drop(): Promise<void>;
}

/** A throw-away read-model database: a SQLite file in a temp dir, or a PostgreSQL database. */
export async function createTestReadModel(kind: ReadModelKind): Promise<TestReadModel> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-views-'));
    const file = join(dir, 'views.sqlite');
    return { kind, file, open: async () => openSqliteReadModel(file), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const database = await createTestDatabase('proj');
  return { kind, url: database.url, open: () => openPostgres(database.url), drop: database.drop };
}

/** Every row of every table a projection owns, sorted, for table-by-table comparison. */
export async function dumpTables(readModel: ReadModelDb, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = await readModel.db.selectFrom(table).selectAll().execute();
    out[table] = rows
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) && k !== 'id' ? Number(v) : v])))
      .map((r) => JSON.stringify(r, Object.keys(r).sort()))
      .sort();
  }
  return out;
}
