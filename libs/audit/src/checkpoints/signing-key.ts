import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointMessage, keyIdOf, type Checkpoint } from './checkpoint';

export const PRIVATE_KEY_FILE = 'audit-ed25519.key';
export const PUBLIC_KEY_FILE = 'audit-ed25519.pub';

/** Signs checkpoints with the ledger's Ed25519 key. */
export class CheckpointSigner {
  readonly keyId: string;

  constructor(
    private readonly privateKey: KeyObject,
    readonly publicKey: KeyObject,
  ) {
    this.keyId = keyIdOf(publicKey);
  }

  sign(c: Pick<Checkpoint, 'treeSize' | 'rootHash' | 'timestamp'>): Checkpoint {
    const signature = sign(null, checkpointMessage(c), this.privateKey).toString('base64');
    return { treeSize: c.treeSize, rootHash: c.rootHash, timestamp: c.timestamp, signature, keyId: this.keyId };
  }
}

/**
 * The key pair lives in the data dir: created on first start (private key readable by the
 * owner only), read back on every later start. Written to a temporary name and linked,
 * so a crash never leaves half a key and a key another process made is never overwritten.
 */
export function loadOrCreateSigningKey(dataDir: string): CheckpointSigner {
  const privateFile = join(dataDir, PRIVATE_KEY_FILE);
  const publicFile = join(dataDir, PUBLIC_KEY_FILE);
  if (!existsSync(privateFile)) {
    mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    const temp = `${privateFile}.${process.pid}.tmp`;
    writeFileSync(temp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temp, privateFile); // atomic, and fails if another process made a key meanwhile
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temp);
    }
  }
  chmodSync(privateFile, 0o600);
  const privateKey = createPrivateKey(readFileSync(privateFile));
  const publicKey = createPublicKey(privateKey);
  writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }));
  return new CheckpointSigner(privateKey, publicKey);
}
