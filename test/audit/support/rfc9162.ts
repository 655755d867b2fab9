/**
 * A second, independent RFC 9162 implementation for tests, written from the RFC's text
 * (§2.1.1 MTH, §2.1.3 inclusion, §2.1.4 consistency). It imports nothing from
 * @ledger/audit, so a mistake there cannot hide behind the same mistake here.
 */
import { createHash } from 'node:crypto';

type Bytes = Uint8Array;

function sha256(...parts: Bytes[]): Bytes {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

export const fromHex = (s: string): Bytes => new Uint8Array(Buffer.from(s, 'hex'));
export const toHex = (b: Bytes): string => Buffer.from(b).toString('hex');
const same = (a: Bytes, b: Bytes): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** HASH(0x00 || d(0)). */
export function rfcLeaf(entry: Bytes): Bytes {
  return sha256(Uint8Array.of(0), entry);
}

function rfcNode(left: Bytes, right: Bytes): Bytes {
  return sha256(Uint8Array.of(1), left, right);
}

/** k: the largest power of two smaller than n. */
function largestPowerOfTwoBelow(n: number): number {
  return 2 ** Math.floor(Math.log2(n - 1));
}

/** MTH(D[n]) over the entries (not yet leaf-hashed), by the recursive definition. */
export function rfcTreeHead(entries: Bytes[]): Bytes {
  if (entries.length === 0) return sha256();
  if (entries.length === 1) return rfcLeaf(entries[0]);
  const k = largestPowerOfTwoBelow(entries.length);
  return rfcNode(rfcTreeHead(entries.slice(0, k)), rfcTreeHead(entries.slice(k)));
}

/** PATH(m, D[n]) by the definition. */
export function rfcPath(m: number, entries: Bytes[]): Bytes[] {
  const n = entries.length;
  if (n <= 1) return [];
  const k = largestPowerOfTwoBelow(n);
  return m < k
    ? [...rfcPath(m, entries.slice(0, k)), rfcTreeHead(entries.slice(k))]
    : [...rfcPath(m - k, entries.slice(k)), rfcTreeHead(entries.slice(0, k))];
}

/** PROOF(m, D[n]) = SUBPROOF(m, D[n], true) by the definition. */
export function rfcConsistency(m: number, entries: Bytes[]): Bytes[] {
  const sub = (mm: number, d: Bytes[], b: boolean): Bytes[] => {
    const n = d.length;
    if (mm === n) return b ? [] : [rfcTreeHead(d)];
    const k = largestPowerOfTwoBelow(n);
    return mm <= k ? [...sub(mm, d.slice(0, k), b), rfcTreeHead(d.slice(k))] : [...sub(mm - k, d.slice(k), false), rfcTreeHead(d.slice(0, k))];
  };
  return sub(m, entries, true);
}

/** §2.1.3.2, step by step, with BigInt bit operations. */
export function rfcVerifyInclusion(leafIndex: number, treeSize: number, entry: Bytes, path: Bytes[], root: Bytes): boolean {
  if (leafIndex >= treeSize) return false;
  let fn = BigInt(leafIndex);
  let sn = BigInt(treeSize - 1);
  let r = rfcLeaf(entry);
  for (const p of path) {
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      r = rfcNode(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = rfcNode(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return sn === 0n && same(r, root);
}

/** §2.1.4.2, step by step. */
export function rfcVerifyConsistency(first: number, second: number, firstHash: Bytes, secondHash: Bytes, proof: Bytes[]): boolean {
  if (first === second) return proof.length === 0 && same(firstHash, secondHash);
  if (first > second || first === 0) return false;
  if (proof.length === 0) return false; // step 1
  const path = (first & (first - 1)) === 0 ? [firstHash, ...proof] : [...proof]; // step 2
  let fn = BigInt(first - 1); // step 3
  let sn = BigInt(second - 1);
  while ((fn & 1n) === 1n) {
    // step 4
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = path[0]; // step 5
  let sr = path[0];
  for (const c of path.slice(1)) {
    // step 6
    if (sn === 0n) return false;
    if ((fn & 1n) === 1n || fn === sn) {
      fr = rfcNode(c, fr);
      sr = rfcNode(c, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = rfcNode(sr, c);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  return same(fr, firstHash) && same(sr, secondHash) && sn === 0n; // step 7
}
