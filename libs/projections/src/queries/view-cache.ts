interface Entry {
  position: number;
  json: string | null;
}

/**
 * Single views as served, by entity and projection position. A view read while the
 * projections stood at position P is served again only while they still stand at P, so
 * the cache never answers older than the position header claims; any commit moves the
 * position and the next read goes to the database.
 *
 * Bounded by two generations rather than by evicting the oldest key one at a time: on a
 * large ledger nearly every read is a miss, and deleting from the front of a Map leaves
 * tombstones that `keys().next()` walks over on every eviction (it showed in profiles of
 * GETs spread over 80k jurisdictions). When the young generation fills, it becomes the old
 * one and the old one is dropped; a hit in the old generation moves back to the young.
 */
export class ViewCache {
  private young = new Map<string, Entry>();
  private old = new Map<string, Entry>();

  constructor(private readonly capacity = 10_000) {}

  async get(key: string, position: number, load: () => Promise<string | null>): Promise<string | null> {
    const hit = this.young.get(key) ?? this.old.get(key);
    if (hit && hit.position === position) {
      if (!this.young.has(key)) this.keep(key, hit);
      return hit.json;
    }
    const json = await load();
    this.keep(key, { position, json });
    return json;
  }

  /** How many views are held (both generations), at most twice the capacity. */
  get size(): number {
    let n = this.young.size;
    for (const key of this.old.keys()) if (!this.young.has(key)) n++;
    return n;
  }

  private keep(key: string, entry: Entry): void {
    if (this.young.size >= this.capacity && !this.young.has(key)) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, entry);
  }
}
