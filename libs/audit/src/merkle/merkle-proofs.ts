import { EMPTY_TREE_HASH, isPowerOfTwo, nodeHash, splitPoint } from './merkle-hash';

/**
 * Where proofs get their hashes from: the stored perfect subtrees (level 0 = leaf hashes).
 * Every subtree RFC 9162's recursion touches starts at a multiple of its own width, so
 * any MTH(D[a:b]) it needs is a perfect node or a few of them combined.
 */
export interface PerfectNodeSource {
  perfect(level: number, index: number): Buffer;
}

/** MTH(D[start : start + n]), for a start aligned as the RFC's recursion aligns it. */
export function subtreeHash(source: PerfectNodeSource, start: number, n: number): Buffer {
  if (n === 0) return EMPTY_TREE_HASH;
  if (isPowerOfTwo(n)) return source.perfect(Math.log2(n), start / n);
  const k = splitPoint(n);
  return nodeHash(subtreeHash(source, start, k), subtreeHash(source, start + k, n - k));
}

/** PATH(m, D[n]) of RFC 9162 §2.1.3.1, deepest sibling first. */
export function inclusionPath(source: PerfectNodeSource, leafIndex: number, treeSize: number): Buffer[] {
  if (!(leafIndex >= 0 && leafIndex < treeSize)) throw new RangeError(`leaf ${leafIndex} is not in a tree of ${treeSize}`);
  const path = (m: number, start: number, n: number): Buffer[] => {
    if (n === 1) return [];
    const k = splitPoint(n);
    return m < k
      ? [...path(m, start, k), subtreeHash(source, start + k, n - k)]
      : [...path(m - k, start + k, n - k), subtreeHash(source, start, k)];
  };
  return path(leafIndex, 0, treeSize);
}

/** PROOF(m, D[n]) of RFC 9162 §2.1.4.1; empty when m = n. */
export function consistencyProof(source: PerfectNodeSource, first: number, second: number): Buffer[] {
  if (!(first > 0 && first <= second)) throw new RangeError(`no consistency proof from ${first} to ${second}`);
  const subproof = (m: number, start: number, n: number, complete: boolean): Buffer[] => {
    if (m === n) return complete ? [] : [subtreeHash(source, start, m)];
    const k = splitPoint(n);
    return m <= k
      ? [...subproof(m, start, k, complete), subtreeHash(source, start + k, n - k)]
      : [...subproof(m - k, start + k, n - k, false), subtreeHash(source, start, k)];
  };
  return subproof(first, 0, second, true);
}

export interface NodeKey {
  level: number;
  index: number;
}

/**
 * Runs a proof computation against nodes held in a database: a first dry run records which
 * nodes it needs (the recursion never branches on hash values), one query fetches them,
 * and the second run computes for real.
 */
export async function withStoredNodes<T>(
  fetch: (keys: NodeKey[]) => Promise<Map<string, Buffer>>,
  compute: (source: PerfectNodeSource) => T,
): Promise<T> {
  const wanted = new Map<string, NodeKey>();
  compute({
    perfect: (level, index) => {
      wanted.set(nodeKey(level, index), { level, index });
      return EMPTY_TREE_HASH;
    },
  });
  const found = await fetch([...wanted.values()]);
  return compute({
    perfect: (level, index) => {
      const hash = found.get(nodeKey(level, index));
      if (!hash) throw new Error(`Merkle node ${level}:${index} is not stored`);
      return hash;
    },
  });
}

export function nodeKey(level: number, index: number): string {
  return `${level}:${index}`;
}
