import { CompiledQuery, type Kysely } from 'kysely';
import type { Dialect } from '@ledger/platform';
import type { Row } from '../core/projection';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = Kysely<any>;

/**
 * Bulk statements are written as plain SQL and run through Kysely's executeQuery: a
 * rebuild writes hundreds of thousands of rows, and building a query tree per row would
 * cost more than the database does. Both dialects take the same statements; only the
 * placeholders differ. SQLite prepares every statement anew, and measured fastest with a
 * couple of thousand parameters per statement; PostgreSQL pays a round trip per statement,
 * so it gets large ones (its limit is 65,535).
 */
const PARAMS: Record<Dialect, number> = { sqlite: 2_000, postgres: 30_000 };
const statements = new Map<string, string>();

export const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`;

function placeholders(dialect: Dialect, rows: number, columns: number): string {
  const key = `${dialect}|${rows}|${columns}`;
  let text = statements.get(key);
  if (!text) {
    const tuples: string[] = [];
    let n = 0;
    for (let r = 0; r < rows; r++) {
      const values: string[] = [];
      for (let c = 0; c < columns; c++) values.push(dialect === 'postgres' ? `$${++n}` : '?');
      tuples.push(`(${values.join(',')})`);
    }
    text = tuples.join(',');
    if (statements.size > 500) statements.clear();
    statements.set(key, text);
  }
  return text;
}

function list(dialect: Dialect, count: number, start = 0): string {
  const items: string[] = [];
  for (let i = 0; i < count; i++) items.push(dialect === 'postgres' ? `$${start + i + 1}` : '?');
  return items.join(',');
}

export async function insertRows(db: Db, dialect: Dialect, table: string, columns: readonly string[], rows: readonly Row[]): Promise<void> {
  await insertChunks(db, dialect, table, columns, rows, '');
}

/**
 * Rows that replace the stored rows of the same key (the table's primary key is the key
 * column): an update in place instead of a delete and an insert. On the jurisdictions
 * table (large rows, nine indexes) that was about half the time per row.
 */
export async function upsertRows(db: Db, dialect: Dialect, table: string, keyColumn: string, columns: readonly string[], rows: readonly Row[]): Promise<void> {
  const others = columns.filter((c) => c !== keyColumn);
  const onConflict = others.length
    ? ` on conflict (${quote(keyColumn)}) do update set ${others.map((c) => `${quote(c)} = excluded.${quote(c)}`).join(',')}`
    : ` on conflict (${quote(keyColumn)}) do nothing`;
  await insertChunks(db, dialect, table, columns, rows, onConflict);
}

/** Multi-row INSERTs of at most PARAMS parameters each, `tail` after each VALUES list. */
async function insertChunks(db: Db, dialect: Dialect, table: string, columns: readonly string[], rows: readonly Row[], tail: string): Promise<void> {
  if (rows.length === 0) return;
  const perChunk = Math.max(1, Math.floor(PARAMS[dialect] / columns.length));
  const head = `insert into ${quote(table)} (${columns.map(quote).join(',')}) values `;
  for (let i = 0; i < rows.length; i += perChunk) {
    const chunk = rows.slice(i, i + perChunk);
    const params: unknown[] = new Array(chunk.length * columns.length);
    let p = 0;
    for (const row of chunk) for (const column of columns) params[p++] = row[column] ?? null;
    await db.executeQuery(CompiledQuery.raw(head + placeholders(dialect, chunk.length, columns.length) + tail, params));
  }
}

export async function deleteByKeys(db: Db, dialect: Dialect, table: string, keyColumn: string, keys: readonly (string | number)[]): Promise<void> {
  for (let i = 0; i < keys.length; i += PARAMS[dialect]) {
    const chunk = keys.slice(i, i + PARAMS[dialect]);
    await db.executeQuery(CompiledQuery.raw(`delete from ${quote(table)} where ${quote(keyColumn)} in (${list(dialect, chunk.length)})`, [...chunk]));
  }
}

export async function selectByKeys<T>(db: Db, dialect: Dialect, table: string, keyColumn: string, columns: readonly string[], keys: readonly string[]): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < keys.length; i += PARAMS[dialect]) {
    const chunk = keys.slice(i, i + PARAMS[dialect]);
    const result = await db.executeQuery<T>(
      CompiledQuery.raw(`select ${columns.map(quote).join(',')} from ${quote(table)} where ${quote(keyColumn)} in (${list(dialect, chunk.length)})`, [...chunk]),
    );
    out.push(...result.rows);
  }
  return out;
}

/** PostgreSQL returns bigint columns as strings; the ledger's positions fit a JS number. */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}
