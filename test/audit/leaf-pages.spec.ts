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
