import { createHash, hash } from 'node:crypto';

/**
 * RFC 9162 §2.1.1 hashing. Leaves and interior nodes get different one-byte prefixes so a
 * node can never be passed off as a leaf (second-preimage protection).
 */
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** MTH({}) — the hash of an empty tree is SHA-256 of the empty string. */
export const EMPTY_TREE_HASH: Buffer = createHash('sha256').digest();

/** A ledger leaf is the event's own chain hash (32 bytes), so the tree commits to the chain. */
// One-shot hashing (crypto.hash) costs a fraction of a createHash() object per call, and a
// million-leaf tree makes two million of these calls.
export function leafHash(eventHashHex: string): Buffer {
  const input = Buffer.allocUnsafe(33);
  input[0] = LEAF_PREFIX;
  input.write(eventHashHex, 1, 'hex');
  return hash('sha256', input, 'buffer') as unknown as Buffer;
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  left.copy(input, 1);
  right.copy(input, 1 + left.length);
  return hash('sha256', input, 'buffer') as unknown as Buffer;
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
