import { createHash } from 'node:crypto';

/**
 * RFC 9162 §2.1.1 hashing. Leaves and interior nodes get different one-byte prefixes so a
 * node can never be passed off as a leaf (second-preimage protection).
 */
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({}) — the hash of an empty tree is SHA-256 of the empty string. */
export const EMPTY_TREE_HASH: Buffer = createHash('sha256').digest();

/** A ledger leaf is the event's own chain hash (32 bytes), so the tree commits to the chain. */
export function leafHash(eventHashHex: string): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(Buffer.from(eventHashHex, 'hex')).digest();
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** The k of RFC 9162: the largest power of two strictly smaller than n (n > 1). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** Math.round(Math.log2(n)) === n;
}
