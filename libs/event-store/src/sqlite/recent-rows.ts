import type { EventRow } from './sqlite-schema';

export interface RowFilter {
  types?: readonly string[];
  streamPrefixes?: readonly string[];
}

/**
 * The rows this process committed most recently, kept as stored (JSON text), in position
 * order and without gaps. Right after a commit every live subscriber (projector, webhook
 * dispatcher, checkpointer, watchers, live streams) asks for the same few new events; they
 * are answered from here instead of each running the query again. Every answer is built
 * from the stored row exactly as a query would return it, so readers still get objects of
 * their own.
 */
export class RecentRows {
  private rows: EventRow[] = [];

  constructor(private readonly capacity = 4096) {}

  /** Rows just committed, in position order. A gap (another process wrote) starts afresh. */
  add(committed: readonly EventRow[]): void {
    for (const row of committed) {
      const last = this.rows[this.rows.length - 1];
      if (last && row.position !== last.position + 1) this.rows = [];
      this.rows.push(row);
    }
    if (this.rows.length > this.capacity * 2) this.rows = this.rows.slice(-this.capacity);
  }

  get lastPosition(): number | undefined {
    return this.rows[this.rows.length - 1]?.position;
  }

  /**
   * The rows after `after` that pass the filter, up to `limit`; undefined when the tail does
   * not reach back that far. The caller must have checked that nothing was committed after
   * `lastPosition` (by another process).
   */
  after(after: number, filter: RowFilter, limit: number): EventRow[] | undefined {
    const first = this.rows[0];
    if (!first || after < first.position - 1) return undefined;
    const out: EventRow[] = [];
    const max = limit < 0 ? Infinity : limit;
    const types = filter.types?.length ? filter.types : undefined;
    const prefixes = filter.streamPrefixes?.length ? filter.streamPrefixes : undefined;
    for (let i = Math.max(0, after - first.position + 1); i < this.rows.length && out.length < max; i++) {
      const row = this.rows[i];
      if (types && !types.includes(row.type)) continue;
      if (prefixes && !prefixes.some((p) => row.stream_id.startsWith(p))) continue;
      out.push(row);
    }
    return out;
  }
}
