import { createHash, createPublicKey, verify as verifySignature, type KeyObject } from 'node:crypto';

/** A signed statement: "the first `treeSize` events of the log have Merkle root `rootHash`". */
export interface Checkpoint {
  treeSize: number;
  /** RFC 9162 MTH of the first treeSize leaves, hex. */
  rootHash: string;
  /** When the checkpointer signed it (server clock, ISO 8601). */
  timestamp: string;
  /** Ed25519 over checkpointMessage(), base64. */
  signature: string;
  /** Which key signed it: the first 16 hex digits of SHA-256 over the public key's SPKI DER. */
  keyId: string;
}

/**
 * The exact bytes that are signed. A fixed, line-based text (in the spirit of the C2SP
 * checkpoint note) so that anyone can rebuild it with a shell and verify with openssl.
 */
export function checkpointMessage(c: Pick<Checkpoint, 'treeSize' | 'rootHash' | 'timestamp'>): Buffer {
  return Buffer.from(`ledger-checkpoint/v1\n${c.treeSize}\n${c.rootHash}\n${c.timestamp}\n`, 'utf8');
}

export function keyIdOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

export function verifyCheckpointSignature(checkpoint: Checkpoint, publicKey: KeyObject): boolean {
  try {
    return verifySignature(null, checkpointMessage(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    return false;
  }
}

/** The public key as the API serves it and the offline verifier reads it. */
export interface PublicKeyDocument {
  algorithm: 'Ed25519';
  keyId: string;
  /** SPKI, PEM. */
  publicKeyPem: string;
  /** The raw 32-byte key, base64. */
  publicKey: string;
}

export function publicKeyDocument(publicKey: KeyObject): PublicKeyDocument {
  const der = publicKey.export({ type: 'spki', format: 'der' });
  return {
    algorithm: 'Ed25519',
    keyId: keyIdOf(publicKey),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    publicKey: der.subarray(der.length - 32).toString('base64'),
  };
}

/** Reads a public key from PEM text or from the JSON the API serves. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  const pem = trimmed.startsWith('{') ? (JSON.parse(trimmed) as Partial<PublicKeyDocument>).publicKeyPem : trimmed;
  if (!pem) throw new Error('no publicKeyPem in the key file');
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 key, got ${key.asymmetricKeyType}`);
  return key;
}
