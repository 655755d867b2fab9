import { randomBytes } from 'node:crypto';
import { sql, type Expression } from 'kysely';
import type { Dialect } from '@ledger/platform';
import type { Projection } from '../core/projection';
import { physicalName, type ColumnSpec, type TableSet, type TableSpec } from '../core/table-spec';
import type { Db } from './sql';

export const CHECKPOINTS_TABLE = 'proj_checkpoints';

/**
 * SQLite's integers are 64-bit whatever the declared name, and only a column declared
 * exactly `integer` that is the whole primary key becomes the table's rowid (the timeline's
 * position): one B-tree instead of a table plus a key index, appended to in order.
 */
function columnType(column: ColumnSpec, dialect: Dialect): Expression<unknown> {
  if (column.type === 'text') return dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  return column.type === 'bigint' && dialect === 'postgres' ? sql`bigint` : sql`integer`;
}

/**
 * Index and constraint names carry a random token: they are schema-wide names, and they
 * keep their names when a shadow table is renamed into place.
 */
const token = () => randomBytes(3).toString('hex');

/** Creates the table (and, if asked, its indexes) unless it exists. True when it was created. */
export async function createTable(db: Db, dialect: Dialect, spec: TableSpec, set: TableSet, withIndexes: boolean): Promise<boolean> {
  const table = physicalName(spec.name, set);
  if (await tableExists(db, dialect, table)) return false;
  let builder = db.schema.createTable(table);
  for (const column of spec.columns) {
    builder = builder.addColumn(column.name, columnType(column, dialect) as never, (c) => (column.nullable ? c : c.notNull()));
  }
  if (spec.primaryKey.length) builder = builder.addPrimaryKeyConstraint(`pk_${token()}_${spec.name}`, [...spec.primaryKey] as never);
  await builder.execute();
  if (withIndexes) await createIndexes(db, spec, set);
  return true;
}

/** Secondary indexes. A shadow table gets them only when its rebuild is done: loading is faster without. */
export async function createIndexes(db: Db, spec: TableSpec, set: TableSet): Promise<void> {
  const table = physicalName(spec.name, set);
  for (const index of spec.indexes ?? []) {
    // On SQLite each index is one synchronous scan of the table (about 150 ms for the 83k
    // jurisdictions of a 1M-event ledger): let requests in between them, or a rebuild's nine
    // indexes and its swap would hold the embedded api's event loop for seconds at once.
    await new Promise((resolve) => setImmediate(resolve));
    await db.schema.createIndex(`ix_${token()}_${spec.name}_${index.name}`).on(table).columns([...index.columns]).execute();
  }
}

export async function tableExists(db: Db, dialect: Dialect, table: string): Promise<boolean> {
  const result =
    dialect === 'postgres'
      ? await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(db)
      : await sql<{ found: string | null }>`select name as found from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  return result.rows.length > 0 && result.rows[0].found !== null;
}

export async function createProjectionTables(db: Db, dialect: Dialect, projection: Projection, set: TableSet, withIndexes: boolean): Promise<void> {
  for (const spec of projection.tables) await createTable(db, dialect, spec, set, withIndexes);
}

export async function dropProjectionTables(db: Db, projection: Projection, set: TableSet): Promise<void> {
  for (const spec of projection.tables) await db.schema.dropTable(physicalName(spec.name, set)).ifExists().execute();
}

/** Safe to race: the api and a worker may both start at once on PostgreSQL. */
export async function ensureCheckpointTable(db: Db): Promise<void> {
  try {
    await createCheckpointTable(db);
  } catch (error) {
    const exists = await db.selectFrom(CHECKPOINTS_TABLE).select('name').limit(1).execute().then(() => true, () => false);
    if (!exists) throw error;
  }
}

async function createCheckpointTable(db: Db): Promise<void> {
  await db.schema
    .createTable(CHECKPOINTS_TABLE)
    .ifNotExists()
    .addColumn('name', 'varchar(200)', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('position', 'bigint', (c) => c.notNull())
    .addColumn('rebuild_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

/** Whether a table lacks its secondary indexes (an initial build that stopped before catching up). */
export async function lacksIndexes(db: Db, dialect: Dialect, spec: TableSpec, set: TableSet): Promise<boolean> {
  if (!spec.indexes?.length) return false;
  const table = physicalName(spec.name, set);
  const result =
    dialect === 'postgres'
      ? await sql<{ n: string | number }>`select count(*) as n from pg_indexes where schemaname = current_schema() and tablename = ${table} and indexname like 'ix%'`.execute(db)
      : await sql<{ n: string | number }>`select count(*) as n from sqlite_master where type = 'index' and tbl_name = ${table} and name like 'ix%'`.execute(db);
  return Number(result.rows[0]?.n ?? 0) === 0;
}
