import { EMPTY_TREE_HASH, nodeHash } from './merkle-hash';

/** A perfect subtree: 2^level leaves starting at leaf index × 2^level. */
export interface PerfectNode {
  level: number;
  index: number;
  hash: Buffer;
}

/**
 * The right edge of a growing RFC 9162 tree: one perfect subtree per set bit of the size,
 * largest first. Appending is amortised O(1) hashes and the root is O(log n), so a million
 * leaves never need to be in memory at once.
 */
export class MerkleFrontier {
  private readonly stack: PerfectNode[];
  private count: number;

  /** Resume from a stored size and its perfect subtrees (see frontierNodes()). */
  constructor(size = 0, nodes: PerfectNode[] = []) {
    this.count = size;
    this.stack = [...nodes];
  }

  get size(): number {
    return this.count;
  }

  /** Adds a leaf hash; returns the interior nodes it completed (level ≥ 1), for storage. */
  append(leaf: Buffer): PerfectNode[] {
    const completed: PerfectNode[] = [];
    this.stack.push({ level: 0, index: this.count, hash: leaf });
    this.count += 1;
    while (this.stack.length >= 2) {
      const right = this.stack[this.stack.length - 1];
      const left = this.stack[this.stack.length - 2];
      if (left.level !== right.level) break;
      this.stack.length -= 2;
      const parent = { level: left.level + 1, index: left.index / 2, hash: nodeHash(left.hash, right.hash) };
      this.stack.push(parent);
      completed.push(parent);
    }
    return completed;
  }

  /** The perfect subtrees of the right edge, largest first (a copy). */
  nodes(): PerfectNode[] {
    return [...this.stack];
  }

  /** MTH of the leaves so far: the subtrees folded from the right, as RFC 9162's split does. */
  root(): Buffer {
    if (this.stack.length === 0) return EMPTY_TREE_HASH;
    let hash = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHash(this.stack[i].hash, hash);
    return hash;
  }
}

/** Which perfect subtrees make up the frontier of a tree of `size` leaves, largest first. */
export function frontierNodes(size: number): { level: number; index: number }[] {
  const nodes: { level: number; index: number }[] = [];
  let start = 0;
  for (let level = Math.floor(Math.log2(Math.max(size, 1))); level >= 0; level--) {
    const width = 2 ** level;
    if (size - start >= width) {
      nodes.push({ level, index: start / width });
      start += width;
    }
  }
  return nodes;
}
