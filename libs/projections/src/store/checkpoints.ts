import { CompiledQuery } from 'kysely';
import type { Dialect } from '@ledger/platform';
import { SHADOW_SUFFIX, type TableSet } from '../core/table-spec';
import { CHECKPOINTS_TABLE } from './schema';
import { num, type Db } from './sql';

export interface Checkpoint {
  name: string;
  version: number;
  /** The last position applied (BEFORE_FIRST = -1 before any). */
  position: number;
  rebuildRequested: boolean;
}

/** The checkpoint of a projection's live tables is named like it; the shadow's gets `__next`. */
export function checkpointName(projection: string, set: TableSet): string {
  return set === 'shadow' ? `${projection}${SHADOW_SUFFIX}` : projection;
}

/** Another writer moved the checkpoint: this process must not apply the batch. */
export class CheckpointConflictError extends Error {
  constructor(readonly checkpoint: string, readonly expected: number) {
    super(`checkpoint ${checkpoint} is no longer at ${expected}: another projector wrote it`);
    this.name = 'CheckpointConflictError';
  }
}

export async function readCheckpoints(db: Db): Promise<Map<string, Checkpoint>> {
  const rows = await db.selectFrom(CHECKPOINTS_TABLE).select(['name', 'version', 'position', 'rebuild_requested']).execute();
  return new Map(
    rows.map((r) => [
      String(r.name),
      { name: String(r.name), version: num(r.version), position: num(r.position), rebuildRequested: num(r.rebuild_requested) === 1 },
    ]),
  );
}

export async function writeCheckpoint(db: Db, name: string, version: number, position: number): Promise<void> {
  await db
    .insertInto(CHECKPOINTS_TABLE)
    .values({ name, version, position, rebuild_requested: 0 })
    .onConflict((oc) => oc.column('name').doUpdateSet({ version, position }))
    .execute();
}

/**
 * Compare-and-set inside the batch's transaction: if the leader lease was lost and another
 * worker applied events meanwhile, this batch rolls back instead of applying them twice.
 */
export async function advanceCheckpoint(db: Db, dialect: Dialect, name: string, from: number, to: number): Promise<void> {
  const p = (i: number) => (dialect === 'postgres' ? `$${i}` : '?');
  const result = await db.executeQuery(
    CompiledQuery.raw(`update ${CHECKPOINTS_TABLE} set position = ${p(1)} where name = ${p(2)} and position = ${p(3)}`, [to, name, from]),
  );
  if (Number(result.numAffectedRows ?? 0) !== 1) throw new CheckpointConflictError(name, from);
}

export async function deleteCheckpoint(db: Db, name: string): Promise<void> {
  await db.deleteFrom(CHECKPOINTS_TABLE).where('name', '=', name).execute();
}

/** Asks whichever process holds the projector lease to rebuild (`all`, or one projection). */
export async function requestRebuild(db: Db, names: readonly string[]): Promise<number> {
  const result = await db.updateTable(CHECKPOINTS_TABLE).set({ rebuild_requested: 1 }).where('name', 'in', [...names]).executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0);
}

export async function clearRebuildRequest(db: Db, name: string): Promise<void> {
  await db.updateTable(CHECKPOINTS_TABLE).set({ rebuild_requested: 0 }).where('name', '=', name).execute();
}
