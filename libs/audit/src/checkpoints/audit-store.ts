import type { ReadModelDb } from '@ledger/platform';
import { sql } from 'kysely';
import type { PerfectNode } from '../merkle/merkle-frontier';
import { leafHash } from '../merkle/merkle-hash';
import { nodeKey, type NodeKey } from '../merkle/merkle-proofs';
import type { Checkpoint } from './checkpoint';

/** One leaf of the Merkle record: the event at `position` had chain hash `eventHash`. */
export interface LeafRecord {
  leafIndex: number;
  position: number;
  eventHash: string;
}

const INSERT_CHUNK = 1000;

/**
 * The audit record, in the read-model database (views.sqlite by default, PostgreSQL at
 * scale) so that every api process and the worker share it:
 * - audit_leaves: leaf i of the tree = the i-th event in position order, with its hash;
 * - audit_nodes: every completed perfect subtree (level ≥ 1), so a proof over a million
 *   leaves reads O(log² n) rows instead of rehashing the log;
 * - audit_checkpoints: the signed tree heads; the only rows that cannot be rebuilt from
 *   the log, so on SQLite each insert is followed by a WAL checkpoint that fsyncs them.
 * - audit_keys: public keys by key id, so any process can serve the key that signed.
 */
export class AuditStore {
  constructor(private readonly rm: ReadModelDb) {}

  private get db() {
    return this.rm.db;
  }

  async migrate(): Promise<void> {
    const blob = this.rm.dialect === 'postgres' ? 'bytea' : 'blob';
    // On SQLite only `integer primary key` is the rowid itself; `bigint primary key` kept a
    // second B-tree of the same numbers. Tables made before keep theirs (same queries).
    const leafIndex = this.rm.dialect === 'postgres' ? 'bigint' : 'integer';
    await this.db.schema
      .createTable('audit_leaves')
      .ifNotExists()
      .addColumn('leaf_index', leafIndex, (c) => c.primaryKey())
      .addColumn('position', 'bigint', (c) => c.notNull().unique())
      .addColumn('event_hash', sql.raw(blob), (c) => c.notNull())
      .execute();
    await this.db.schema
      .createTable('audit_nodes')
      .ifNotExists()
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('node_index', 'bigint', (c) => c.notNull())
      .addColumn('hash', sql.raw(blob), (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_nodes_pk', ['level', 'node_index'])
      .execute();
    await this.db.schema
      .createTable('audit_checkpoints')
      .ifNotExists()
      .addColumn('tree_size', 'bigint', (c) => c.primaryKey())
      .addColumn('root_hash', 'text', (c) => c.notNull())
      .addColumn('timestamp', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .execute();
    await this.db.schema
      .createTable('audit_keys')
      .ifNotExists()
      .addColumn('key_id', 'text', (c) => c.primaryKey())
      .addColumn('public_key_pem', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
  }

  /** Number of leaves recorded, and the position of the last. */
  async head(): Promise<{ size: number; lastPosition: number | null }> {
    const row = await this.db
      .selectFrom('audit_leaves')
      .select(['leaf_index', 'position'])
      .orderBy('leaf_index', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? { size: Number(row.leaf_index) + 1, lastPosition: Number(row.position) } : { size: 0, lastPosition: null };
  }

  /** Leaves, completed nodes and any due checkpoints in one transaction; repeats are ignored. */
  async append(leaves: LeafRecord[], nodes: PerfectNode[], checkpoints: Checkpoint[] = []): Promise<void> {
    if (leaves.length === 0 && nodes.length === 0 && checkpoints.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < leaves.length; i += INSERT_CHUNK) {
        await trx
          .insertInto('audit_leaves')
          .values(
            leaves.slice(i, i + INSERT_CHUNK).map((l) => ({
              leaf_index: l.leafIndex,
              position: l.position,
              event_hash: Buffer.from(l.eventHash, 'hex'),
            })),
          )
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      for (let i = 0; i < nodes.length; i += INSERT_CHUNK) {
        await trx
          .insertInto('audit_nodes')
          .values(nodes.slice(i, i + INSERT_CHUNK).map((n) => ({ level: n.level, node_index: n.index, hash: n.hash })))
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
      for (const c of checkpoints) {
        await trx
          .insertInto('audit_checkpoints')
          .values({ tree_size: c.treeSize, root_hash: c.rootHash, timestamp: c.timestamp, signature: c.signature, key_id: c.keyId })
          .onConflict((oc) => oc.doNothing())
          .execute();
      }
    });
    if (checkpoints.length) await this.flushToDisk();
  }

  async insertCheckpoint(c: Checkpoint): Promise<void> {
    await this.append([], [], [c]);
  }

  /**
   * The read-model SQLite runs synchronous=NORMAL (rebuildable data); a signed checkpoint
   * is not rebuildable, so copy the WAL into the database file, which fsyncs both.
   */
  private async flushToDisk(): Promise<void> {
    if (this.rm.dialect === 'sqlite') await sql`PRAGMA wal_checkpoint(FULL)`.execute(this.db);
  }

  /** Leaves in index order; the hash is turned into hex by the database (cheaper than per row here). */
  async readLeaves(fromIndex: number, limit: number): Promise<LeafRecord[]> {
    const hex = this.rm.dialect === 'postgres' ? sql<string>`encode(event_hash, 'hex')` : sql<string>`lower(hex(event_hash))`;
    const rows = await this.db
      .selectFrom('audit_leaves')
      .select(['leaf_index', 'position', hex.as('event_hash')])
      .where('leaf_index', '>=', fromIndex)
      .orderBy('leaf_index')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ leafIndex: Number(r.leaf_index), position: Number(r.position), eventHash: String(r.event_hash) }));
  }

  async leafAtPosition(position: number): Promise<LeafRecord | null> {
    const r = await this.db
      .selectFrom('audit_leaves')
      .select(['leaf_index', 'position', 'event_hash'])
      .where('position', '=', position)
      .executeTakeFirst();
    return r ? { leafIndex: Number(r.leaf_index), position: Number(r.position), eventHash: (r.event_hash as Buffer).toString('hex') } : null;
  }

  /** Perfect nodes by (level, index); level 0 is the leaf hash of the recorded event hash. */
  async fetchNodes(keys: NodeKey[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    const leaves = keys.filter((k) => k.level === 0).map((k) => k.index);
    const inner = keys.filter((k) => k.level > 0);
    if (leaves.length) {
      const rows = await this.db.selectFrom('audit_leaves').select(['leaf_index', 'event_hash']).where('leaf_index', 'in', leaves).execute();
      for (const r of rows) found.set(nodeKey(0, Number(r.leaf_index)), leafHash((r.event_hash as Buffer).toString('hex')));
    }
    for (let i = 0; i < inner.length; i += 200) {
      const chunk = inner.slice(i, i + 200);
      const rows = await this.db
        .selectFrom('audit_nodes')
        .select(['level', 'node_index', 'hash'])
        .where((eb) => eb.or(chunk.map((k) => eb.and([eb('level', '=', k.level), eb('node_index', '=', k.index)]))))
        .execute();
      for (const r of rows) found.set(nodeKey(Number(r.level), Number(r.node_index)), r.hash as Buffer);
    }
    return found;
  }

  /** Checkpoints, newest first; `before` pages backwards by tree size. */
  async listCheckpoints(options: { limit?: number; before?: number } = {}): Promise<Checkpoint[]> {
    let q = this.db.selectFrom('audit_checkpoints').selectAll().orderBy('tree_size', 'desc');
    if (options.before !== undefined) q = q.where('tree_size', '<', options.before);
    if (options.limit !== undefined) q = q.limit(options.limit);
    return (await q.execute()).map(toCheckpoint);
  }

  /** Every checkpoint, oldest first (for verification). */
  async allCheckpoints(): Promise<Checkpoint[]> {
    return (await this.db.selectFrom('audit_checkpoints').selectAll().orderBy('tree_size').execute()).map(toCheckpoint);
  }

  async latestCheckpoint(): Promise<Checkpoint | null> {
    return (await this.listCheckpoints({ limit: 1 }))[0] ?? null;
  }

  async checkpointAt(treeSize: number): Promise<Checkpoint | null> {
    const r = await this.db.selectFrom('audit_checkpoints').selectAll().where('tree_size', '=', treeSize).executeTakeFirst();
    return r ? toCheckpoint(r) : null;
  }

  async saveKey(keyId: string, publicKeyPem: string, createdAt: string): Promise<void> {
    await this.db
      .insertInto('audit_keys')
      .values({ key_id: keyId, public_key_pem: publicKeyPem, created_at: createdAt })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async publicKeyPem(keyId: string): Promise<string | null> {
    const r = await this.db.selectFrom('audit_keys').select('public_key_pem').where('key_id', '=', keyId).executeTakeFirst();
    return r ? String(r.public_key_pem) : null;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function toCheckpoint(r: any): Checkpoint {
  return {
    treeSize: Number(r.tree_size),
    rootHash: String(r.root_hash),
    timestamp: String(r.timestamp),
    signature: String(r.signature),
    keyId: String(r.key_id),
  };
}
