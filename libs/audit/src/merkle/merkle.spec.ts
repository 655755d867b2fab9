import { createHash } from 'node:crypto';
import { MerkleFrontier, frontierNodes, type PerfectNode } from './merkle-frontier';
import { EMPTY_TREE_HASH, leafHash, nodeHash, splitPoint } from './merkle-hash';
import { consistencyProof, inclusionPath, subtreeHash, type PerfectNodeSource } from './merkle-proofs';
import { verifyConsistency, verifyInclusion } from './merkle-verify';

const eventHash = (i: number): string => createHash('sha256').update(`event ${i}`).digest('hex');

/** MTH straight from the definition, over leaf hashes. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 0) return EMPTY_TREE_HASH;
  if (leaves.length === 1) return leaves[0];
  const k = splitPoint(leaves.length);
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** Builds a tree of n leaves the way the checkpointer does, keeping every completed node. */
function grow(n: number): { frontier: MerkleFrontier; source: PerfectNodeSource; leaves: Buffer[] } {
  const frontier = new MerkleFrontier();
  const nodes = new Map<string, Buffer>();
  const leaves: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const leaf = leafHash(eventHash(i));
    leaves.push(leaf);
    nodes.set(`0:${i}`, leaf);
    for (const node of frontier.append(leaf)) nodes.set(`${node.level}:${node.index}`, node.hash);
  }
  const source = { perfect: (level: number, index: number) => nodes.get(`${level}:${index}`)! };
  return { frontier, source, leaves };
}

describe('Merkle tree (RFC 9162)', () => {
  it('hashes leaves and nodes with their prefixes', () => {
    const h = eventHash(0);
    expect(leafHash(h)).toEqual(createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(h, 'hex')])).digest());
    expect(EMPTY_TREE_HASH.toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('the incremental root equals the recursive definition for every size up to 70', () => {
    const { leaves } = grow(70);
    const frontier = new MerkleFrontier();
    expect(frontier.root()).toEqual(EMPTY_TREE_HASH);
    leaves.forEach((leaf, i) => {
      frontier.append(leaf);
      expect(frontier.root()).toEqual(mth(leaves.slice(0, i + 1)));
    });
  });

  it('resumes from its stored perfect subtrees', () => {
    const { frontier, source, leaves } = grow(45);
    const resumed = new MerkleFrontier(
      45,
      frontierNodes(45).map((k): PerfectNode => ({ ...k, hash: source.perfect(k.level, k.index) })),
    );
    expect(resumed.root()).toEqual(frontier.root());
    const extra = leafHash(eventHash(45));
    resumed.append(extra);
    expect(resumed.root()).toEqual(mth([...leaves, extra]));
  });

  it('every inclusion proof verifies, and fails for another leaf or root', () => {
    const { source, leaves } = grow(33);
    for (let n = 1; n <= 33; n++) {
      const root = subtreeHash(source, 0, n);
      expect(root).toEqual(mth(leaves.slice(0, n)));
      for (let m = 0; m < n; m++) {
        const path = inclusionPath(source, m, n);
        expect(verifyInclusion(m, n, leaves[m], path, root)).toBe(true);
        expect(verifyInclusion(m, n, leafHash(eventHash(999)), path, root)).toBe(false);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, leaves[m], path, root)).toBe(false);
      }
    }
  });

  it('every consistency proof verifies, and fails against a different old root', () => {
    const { source } = grow(33);
    for (let n = 1; n <= 33; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(source, m, n);
        const oldRoot = subtreeHash(source, 0, m);
        const newRoot = subtreeHash(source, 0, n);
        expect(verifyConsistency(m, n, oldRoot, newRoot, proof)).toBe(true);
        if (m < n) expect(verifyConsistency(m, n, leafHash(eventHash(777)), newRoot, proof)).toBe(false);
      }
    }
  });
});
