import type { EventEnvelope } from '@ledger/domain';
import type { Dialect } from '@ledger/platform';
import { isFix, type FoldContext, type Projection, type Row } from '../core/projection';
import { physicalName, type TableSet, type TableSpec } from '../core/table-spec';
import { advanceCheckpoint, checkpointName } from '../store/checkpoints';
import { deleteByKeys, insertRows, selectByKeys, upsertRows, type Db } from '../store/sql';

const NO_CONTEXT: FoldContext = Object.freeze({});

interface Cached {
  state: unknown;
  /** The key has rows in the database (so they must be replaced, not just inserted). */
  persisted: boolean;
  dirty: boolean;
}

/**
 * One projection inside a lane: its position, the states it holds in memory, and what it
 * owes the database at the next flush.
 */
export class Member {
  private readonly cache = new Map<string, Cached>();
  private appendRows: Record<string, Row[]> = {};
  /** Keys written by the flush in progress, and whether they now have rows. */
  private written = new Map<Cached, boolean>();
  /** Last position evolved (not yet flushed). */
  pending: number;
  /** Fresh tables are filled without their secondary indexes; these come when the lane catches up. */
  indexesPending = false;
  /** Events evolved and rows waiting since the last flush: the lane flushes members on their own cadence. */
  private eventsSinceFlush = 0;
  private lastFlushAt = Date.now();
  /** How long the last write of keyed states took: timed flushes keep to a tenth of the time. */
  private lastWriteMs = 0;
  private rowsWaiting = 0;
  /** The event types the projection reads (null: all of them). */
  private readonly handled: ReadonlySet<string> | null;

  constructor(
    readonly projection: Projection,
    public set: TableSet,
    /** Last position whose effects are committed with the checkpoint. */
    public position: number,
    /** The cache holds every key the tables hold, so a miss needs no lookup (fresh tables). */
    private complete: boolean,
    private readonly maxCached: number,
  ) {
    this.pending = position;
    this.handled = projection.handles === 'all' ? null : new Set(projection.handles);
  }

  get name(): string {
    return this.projection.name;
  }

  get checkpoint(): string {
    return checkpointName(this.projection.name, this.set);
  }

  /** Applies the events after this member's position, loading the states it lacks first. */
  async evolve(db: Db, dialect: Dialect, events: readonly EventEnvelope[], contexts: ReadonlyMap<string, FoldContext>): Promise<void> {
    if (events.length === 0) return;
    const last = events[events.length - 1].position;
    const handled = this.handled;
    const relevant: EventEnvelope[] = [];
    for (const e of events) if (e.position > this.pending && (handled === null || handled.has(e.type))) relevant.push(e);
    if (last > this.pending) this.pending = last;
    this.eventsSinceFlush += relevant.length;
    if (relevant.length === 0) return;
    const projection = this.projection;
    // Only fixes have a context: every other event shares one empty object.
    const ctxOf = (e: EventEnvelope) => (isFix(e) ? (contexts.get(e.eventId) ?? NO_CONTEXT) : NO_CONTEXT);
    if (projection.kind === 'append') {
      const waiting = this.appendRows;
      for (const event of relevant) {
        const byTable = projection.rows(event, ctxOf(event));
        for (const table in byTable) {
          const rows = byTable[table];
          const into = (waiting[table] ??= []);
          for (let i = 0; i < rows.length; i++) into.push(rows[i]);
          this.rowsWaiting += rows.length;
        }
      }
      return;
    }
    const routes = relevant.map((event) => projection.route(event, ctxOf(event)));
    if (!this.complete) {
      const missing = new Set<string>();
      routes.forEach((route) => {
        route.keys.forEach((key, i) => {
          if (!this.cache.has(key) && !(i === 0 && route.created)) missing.add(key);
        });
      });
      if (missing.size > 0) await this.load(db, dialect, [...missing]);
    }
    const cache = this.cache;
    for (let r = 0; r < relevant.length; r++) {
      const event = relevant[r];
      const keys = routes[r].keys;
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k];
        let cached = cache.get(key);
        if (!cached) {
          cached = { state: projection.initial(key), persisted: false, dirty: false };
          cache.set(key, cached);
        }
        const next = projection.evolve(cached.state, event, ctxOf(event));
        if (next !== cached.state) {
          cached.state = next;
          cached.dirty = true;
        }
      }
    }
  }

  private async load(db: Db, dialect: Dialect, keys: string[]): Promise<void> {
    const main = this.projection.tables[0];
    const rows = await selectByKeys<{ key: string; facts: string }>(db, dialect, physicalName(main.name, this.set), main.keyColumn, [main.keyColumn, 'facts'], keys);
    const found = new Map(rows.map((r) => [String((r as Record<string, unknown>)[main.keyColumn]), r.facts]));
    for (const key of keys) {
      const facts = found.get(key);
      if (this.projection.kind !== 'keyed') continue;
      this.cache.set(key, facts === undefined ? { state: this.projection.initial(key), persisted: false, dirty: false } : { state: JSON.parse(facts), persisted: true, dirty: false });
    }
  }

  hasWork(): boolean {
    return this.pending > this.position;
  }

  /**
   * While catching up: append-only rows go out every 20k (holding them longer only feeds
   * the garbage collector). Keyed states are rewritten whole at every flush, and a ledger
   * has many entities with few events each, so they stay in memory until the lane catches
   * up, unless `everyEvents` passed, `everyMs` passed (progress survives a crash), or the
   * cache outgrew its bound.
   */
  wantsFlush(everyEvents: number, everyMs: number, now: number): boolean {
    if (!this.hasWork()) return false;
    if (this.projection.kind === 'append') return this.rowsWaiting >= 20_000;
    // A flush rewrites every state changed since the last one (on a large ledger, most of
    // them): the timed one waits at least ten times as long as the last took, so that
    // saving a long rebuild's progress costs it at most about a tenth.
    const interval = Math.max(everyMs, 10 * this.lastWriteMs);
    return this.eventsSinceFlush >= everyEvents || now - this.lastFlushAt >= interval || this.cache.size > this.maxCached;
  }

  /** Writes what changed since the last flush and moves the checkpoint; inside the lane's transaction. */
  async write(trx: Db, dialect: Dialect): Promise<void> {
    const projection = this.projection;
    if (projection.kind === 'append') {
      for (const spec of projection.tables) {
        await new Promise((resolve) => setImmediate(resolve));
        const rows = this.appendRows[spec.name];
        if (rows?.length) await insertRows(trx, dialect, physicalName(spec.name, this.set), spec.columns.map((c) => c.name), rows);
      }
    } else {
      // In slices, so that a rebuild's final flush does not hold every row of every key at once.
      const started = Date.now();
      const dirty = [...this.cache].filter(([, cached]) => cached.dirty);
      for (let i = 0; i < dirty.length; i += 1000) {
        if (i > 0) await new Promise((resolve) => setImmediate(resolve)); // let requests in during a long flush
        const replace: string[] = [];
        const rowsByTable: Record<string, Row[]> = {};
        for (const [key, cached] of dirty.slice(i, i + 1000)) {
          if (cached.persisted) replace.push(key);
          const rows = projection.rows(key, cached.state);
          this.written.set(cached, rows !== null);
          if (rows) for (const [table, list] of Object.entries(rows)) (rowsByTable[table] ??= []).push(...list);
        }
        for (const spec of projection.tables) {
          const table = physicalName(spec.name, this.set);
          const columns = spec.columns.map((c) => c.name);
          const rows = rowsByTable[spec.name] ?? [];
          if (replace.length && keyedByItsKey(spec)) {
            // One row per key: rows are written in place (upsert), and stored keys left
            // without a row are deleted.
            const kept = new Set(rows.map((row) => String(row[spec.keyColumn])));
            const gone = replace.filter((key) => !kept.has(key));
            if (gone.length) await deleteByKeys(trx, dialect, table, spec.keyColumn, gone);
            await upsertRows(trx, dialect, table, spec.keyColumn, columns, rows);
            continue;
          }
          if (replace.length) await deleteByKeys(trx, dialect, table, spec.keyColumn, replace);
          await insertRows(trx, dialect, table, columns, rows);
        }
      }
      this.lastWriteMs = Date.now() - started;
    }
    if (this.pending > this.position) await advanceCheckpoint(trx, dialect, this.checkpoint, this.position, this.pending);
  }

  /** After the transaction committed. */
  committed(): void {
    this.position = this.pending;
    this.appendRows = {};
    this.rowsWaiting = 0;
    this.eventsSinceFlush = 0;
    this.lastFlushAt = Date.now();
    for (const [cached, hasRows] of this.written) {
      cached.dirty = false;
      cached.persisted = hasRows;
    }
    this.written.clear();
    if (this.cache.size > this.maxCached) {
      this.cache.clear();
      this.complete = false;
    }
  }

  /** Forget everything not committed (after a failed flush); the lane reloads the checkpoint. */
  reset(position: number): void {
    this.cache.clear();
    this.appendRows = {};
    this.rowsWaiting = 0;
    this.eventsSinceFlush = 0;
    this.written.clear();
    this.complete = false;
    this.position = position;
    this.pending = position;
  }
}

/** A table whose primary key is the projection key alone holds one row per key. */
function keyedByItsKey(spec: TableSpec): boolean {
  return spec.primaryKey.length === 1 && spec.primaryKey[0] === spec.keyColumn;
}
