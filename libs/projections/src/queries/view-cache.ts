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
 * A view is kept from its second request on, not its first. On a large ledger most reads
 * are of views nobody asks for again soon, and keeping each (about 5 KB) until the cache
 * turned over moved all of them into the old generation of the heap, only to die there:
 * GETs spread over 83k jurisdictions at 1M events answered 12–13k req/s with the cache and
 * 14.5k without it. Keys asked for once are remembered (a few bytes each), so a view read
 * again soon is kept, and the views analysts return to are served from memory as before.
 *
 * Views and keys are bounded by two generations rather than by evicting the oldest key one
 * at a time: deleting from the front of a Map leaves tombstones that `keys().next()` walks
 * over on every eviction (it showed in profiles). When the young generation fills, it
 * becomes the old one and the old one is dropped; a hit in the old generation moves back.
 */
export class ViewCache {
  private young = new Map<string, Entry>();
  private old = new Map<string, Entry>();
  private askedYoung = new Set<string>();
  private askedOld = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  async get(key: string, position: number, load: () => Promise<string | null>): Promise<string | null> {
    const hit = this.young.get(key) ?? this.old.get(key);
    if (hit && hit.position === position) {
      if (!this.young.has(key)) this.keep(key, hit);
      return hit.json;
    }
    const json = await load();
    if (hit || this.askedYoung.has(key) || this.askedOld.has(key)) this.keep(key, { position, json });
    else this.remember(key);
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

  private remember(key: string): void {
    if (this.askedYoung.size >= this.capacity) {
      this.askedOld = this.askedYoung;
      this.askedYoung = new Set();
    }
    this.askedYoung.add(key);
  }
}
