/**
 * Single views as served, by entity and projection position. A view read while the
 * projections stood at position P is served again only while they still stand at P, so
 * the cache never answers older than the position header claims; any commit moves the
 * position and the next read goes to the database.
 */
export class ViewCache {
  private readonly entries = new Map<string, { position: number; json: string | null }>();

  constructor(private readonly capacity = 10_000) {}

  async get(key: string, position: number, load: () => Promise<string | null>): Promise<string | null> {
    const hit = this.entries.get(key);
    if (hit && hit.position === position) return hit.json;
    const json = await load();
    if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { position, json });
    return json;
  }
}
