import { verifyCheckpointSignature } from '@ledger/audit';
import { appendSpread, createAuditFixture, type AuditFixture } from './support/audit-fixture';
import { fromHex, rfcConsistency, rfcPath, rfcTreeHead, rfcVerifyConsistency, rfcVerifyInclusion, toHex } from './support/rfc9162';

/** Small deterministic PRNG so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('Merkle proofs checked by an independent RFC 9162 verifier', () => {
  let f: AuditFixture;
  let entries: Uint8Array[];
  let eventIds: string[];

  beforeAll(async () => {
    f = await createAuditFixture({ everyEvents: 16 });
    const events = await appendSpread(f.store, 150, 7);
    entries = events.map((e) => fromHex(e.hash));
    eventIds = events.map((e) => e.eventId);
    await f.checkpointer.sync();
  });
  afterAll(() => f.close());

  it('signs a checkpoint every 16 events whose root is the RFC tree head of exactly those events', async () => {
    const checkpoints = await f.audit.allCheckpoints();
    expect(checkpoints.map((c) => c.treeSize)).toEqual([16, 32, 48, 64, 80, 96, 112, 128, 144]);
    for (const c of checkpoints) {
      expect(c.rootHash).toBe(toHex(rfcTreeHead(entries.slice(0, c.treeSize))));
      expect(verifyCheckpointSignature(c, f.signer.publicKey)).toBe(true);
      expect(verifyCheckpointSignature({ ...c, treeSize: c.treeSize + 1 }, f.signer.publicKey)).toBe(false);
    }
  });

  it('inclusion proofs equal PATH(m, D[n]) and pass the RFC verification for random (m, n)', async () => {
    const rnd = random(9162);
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + Math.floor(rnd() * entries.length);
      const m = Math.floor(rnd() * n);
      const proof = await f.proofs.inclusion(eventIds[m], n);
      const root = rfcTreeHead(entries.slice(0, n));
      expect(proof.leafIndex).toBe(m);
      expect(proof.rootHash).toBe(toHex(root));
      expect(proof.auditPath).toEqual(rfcPath(m, entries.slice(0, n)).map(toHex));
      const path = proof.auditPath.map(fromHex);
      expect(rfcVerifyInclusion(m, n, entries[m], path, root)).toBe(true);
      // the same proof must not vouch for a neighbour or a changed event
      if (n > 1) expect(rfcVerifyInclusion(m, n, entries[(m + 1) % n], path, root)).toBe(false);
      const flipped = Uint8Array.from(entries[m]);
      flipped[0] ^= 1;
      expect(rfcVerifyInclusion(m, n, flipped, path, root)).toBe(false);
    }
  });

  it('consistency proofs equal PROOF(m, D[n]) and pass the RFC verification for random m ≤ n', async () => {
    const rnd = random(6962);
    const pairs: [number, number][] = [[1, 1], [1, 2], [16, 32], [15, 16], [entries.length, entries.length]];
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + Math.floor(rnd() * entries.length);
      pairs.push([1 + Math.floor(rnd() * n), n]);
    }
    for (const [m, n] of pairs) {
      const proof = await f.proofs.consistency(m, n);
      const oldRoot = rfcTreeHead(entries.slice(0, m));
      const newRoot = rfcTreeHead(entries.slice(0, n));
      expect([proof.fromRootHash, proof.toRootHash]).toEqual([toHex(oldRoot), toHex(newRoot)]);
      expect(proof.proof).toEqual(m === n ? [] : rfcConsistency(m, entries.slice(0, n)).map(toHex));
      const path = proof.proof.map(fromHex);
      expect(rfcVerifyConsistency(m, n, oldRoot, newRoot, path)).toBe(true);
      if (m < n) {
        // a tree that rewrote history cannot prove it extends the old root
        const forged = rfcTreeHead([fromHex('00'.repeat(32)), ...entries.slice(1, m)]);
        expect(rfcVerifyConsistency(m, n, forged, newRoot, path)).toBe(false);
      }
    }
  });

  it('the default tree size of an inclusion proof is the newest checkpoint', async () => {
    const proof = await f.proofs.inclusion(eventIds[3]);
    expect(proof.treeSize).toBe(144);
    expect(proof.checkpoint?.rootHash).toBe(proof.rootHash);
  });

  it('refuses tree sizes beyond the log, unknown events and events outside the tree', async () => {
    await expect(f.proofs.inclusion(eventIds[0], 151)).rejects.toMatchObject({ code: 'AUDIT.TREE_SIZE_OUT_OF_RANGE' });
    await expect(f.proofs.inclusion(eventIds[0], 0)).rejects.toMatchObject({ code: 'AUDIT.TREE_SIZE_OUT_OF_RANGE' });
    await expect(f.proofs.inclusion('00000000-0000-4000-8000-000000000000', 10)).rejects.toMatchObject({ code: 'EVENT.NOT_FOUND' });
    await expect(f.proofs.inclusion(eventIds[20], 10)).rejects.toMatchObject({ code: 'AUDIT.EVENT_NOT_IN_TREE' });
    await expect(f.proofs.consistency(5, 151)).rejects.toMatchObject({ code: 'AUDIT.TREE_SIZE_OUT_OF_RANGE' });
    await expect(f.proofs.consistency(0, 10)).rejects.toMatchObject({ code: 'AUDIT.TREE_SIZE_OUT_OF_RANGE' });
    await expect(f.proofs.consistency(11, 10)).rejects.toMatchObject({ code: 'AUDIT.TREE_SIZE_OUT_OF_RANGE' });
  });

  it('resumes after a restart and keeps extending the same tree', async () => {
    const more = await appendSpread(f.store, 20, 3, 'official-late');
    entries.push(...more.map((e) => fromHex(e.hash)));
    const { Checkpointer } = await import('@ledger/audit');
    const again = new Checkpointer(f.store, f.audit, f.signer, { everyEvents: 16, everyMs: 0, now: () => new Date() });
    expect(await again.sync()).toBe(170);
    const latest = await again.checkpointNow();
    expect(latest).toMatchObject({ treeSize: 170, rootHash: toHex(rfcTreeHead(entries)) });
    expect((await f.audit.allCheckpoints()).map((c) => c.treeSize).slice(-2)).toEqual([160, 170]);
  });
});
