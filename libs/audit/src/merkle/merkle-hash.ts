import * as crypto from 'node:crypto';

/**
 * RFC 9162 §2.1.1 hashing. Leaves and interior nodes get different one-byte prefixes so a
 * node can never be passed off as a leaf (second-preimage protection).
 */
const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/** MTH({}) — the hash of an empty tree is SHA-256 of the empty string. */
export const EMPTY_TREE_HASH: Buffer = crypto.createHash('sha256').digest();

/**
 * One-shot hashing (crypto.hash, Node ≥ 20.12) costs a fraction of a createHash() object
 * per call, and a million-leaf tree makes two million of these calls.
 */
const sha256: (input: Buffer) => Buffer =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (input) => (crypto as unknown as { hash: (a: string, d: Buffer, e: string) => Buffer }).hash('sha256', input, 'buffer')
    : (input) => crypto.createHash('sha256').update(input).digest();

/** A ledger leaf is the event's own chain hash (32 bytes), so the tree commits to the chain. */
export function leafHash(eventHashHex: string): Buffer {
  const input = Buffer.allocUnsafe(33);
  input[0] = LEAF_PREFIX;
  if (input.write(eventHashHex, 1, 'hex') !== 32 || eventHashHex.length !== 64) throw new Error(`not a SHA-256 hash: "${eventHashHex}"`);
  return sha256(input);
}

export function nodeHash(left: Buffer, right: Buffer): Buffer {
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  left.copy(input, 1);
  right.copy(input, 1 + left.length);
  return sha256(input);
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
