/**
 * Tables are described once and created with Kysely's schema builder for either dialect.
 * Text columns compare bytewise in both (PostgreSQL gets COLLATE "C"), so sort order and
 * keyset cursors agree between SQLite and PostgreSQL.
 */
export type ColumnType = 'text' | 'integer' | 'bigint';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullable?: boolean;
}

export interface IndexSpec {
  readonly name: string;
  readonly columns: readonly string[];
}

export interface TableSpec {
  /** Logical name; the physical table is `proj_<name>` (and `proj_<name>__next` while rebuilding). */
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly primaryKey: readonly string[];
  /** The column holding the projection key: rows of a key are replaced together. */
  readonly keyColumn: string;
  readonly indexes?: readonly IndexSpec[];
}

export const TABLE_PREFIX = 'proj_';
export const SHADOW_SUFFIX = '__next';

export type TableSet = 'live' | 'shadow';

export function physicalName(table: string, set: TableSet = 'live'): string {
  return `${TABLE_PREFIX}${table}${set === 'shadow' ? SHADOW_SUFFIX : ''}`;
}

/** Shorthands that keep the definitions readable. */
export const text = (name: string, nullable = false): ColumnSpec => ({ name, type: 'text', nullable });
export const int = (name: string, nullable = false): ColumnSpec => ({ name, type: 'integer', nullable });
export const big = (name: string, nullable = false): ColumnSpec => ({ name, type: 'bigint', nullable });

/** Sort columns never hold NULL (SQLite and PostgreSQL order NULLs differently): these stand in. */
export const NO_TIME_LATE = 9e15;
export const NO_TIME_EARLY = -9e15;
