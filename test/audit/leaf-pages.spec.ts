import { LeafPages } from '../../libs/audit/src/verification/leaf-pages';
import { appendSpread, createAuditFixture, type AuditFixture } from './support/audit-fixture';

/**
 * The verifier takes the Merkle record's leaves from LeafPages a page of events at a time;
 * here its own pages (3 leaves) are smaller than what is asked for (7), so a fill reads
 * several pages and keeps what the last fill left over.
 */
describe('LeafPages hands out the Merkle record in order across its own pages', () => {
  let f: AuditFixture;
  beforeEach(async () => {
    f = await createAuditFixture({ everyEvents: 10 });
    await appendSpread(f.store, 20, 3);
    await f.checkpointer.sync();
  });
  afterEach(() => f.close());

  it('every leaf once, in index order, then null', async () => {
    const pages = new LeafPages(f.audit, 3);
    const seen: number[] = [];
    for (const want of [7, 7, 2, 7]) {
      await pages.fill(want);
      for (let i = 0; i < want; i++) {
        const leaf = pages.take();
        if (leaf) seen.push(leaf.leafIndex);
      }
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await pages.fill(1);
    expect(pages.take()).toBeNull();
  });

  it('a fill of fewer leaves than remain keeps the rest for the next', async () => {
    const pages = new LeafPages(f.audit, 3);
    await pages.fill(1);
    expect(pages.take()?.leafIndex).toBe(0);
    await pages.fill(4); // two left from the first read, so one more page is read
    expect([pages.take(), pages.take(), pages.take(), pages.take()].map((l) => l?.leafIndex)).toEqual([1, 2, 3, 4]);
  });
});

/** On SQLite the leaf index is the table's rowid: no second B-tree of the same numbers. */
describe('the Merkle record on SQLite', () => {
  it('keys audit_leaves by its rowid and indexes only the position', async () => {
    const f = await createAuditFixture({ everyEvents: 10 });
    try {
      await appendSpread(f.store, 5, 2);
      await f.checkpointer.sync();
      const { sql } = await import('kysely');
      const indexes = await sql<{ name: string; origin: string }>`select name, origin from pragma_index_list('audit_leaves')`.execute(f.readModel.db);
      // 'u': the unique constraint on position; a primary-key index ('pk') would mean leaf_index is not the rowid.
      expect(indexes.rows.map((r) => r.origin)).toEqual(['u']);
      const leaves = await sql<{ leaf_index: number; row: number }>`select leaf_index, rowid as row from audit_leaves order by leaf_index`.execute(f.readModel.db);
      expect(leaves.rows.map((r) => [r.leaf_index, r.row])).toEqual([0, 1, 2, 3, 4].map((i) => [i, i]));
    } finally {
      await f.close();
    }
  });
});
