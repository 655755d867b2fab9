import type { KeyObject } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parsePublicKey, type Checkpoint } from '../checkpoints/checkpoint';
import { parseCheckpoints, verifyExportOffline, type OfflineReport } from './offline-verifier';

/** A file the offline verifier cannot use, with which file and why. */
export class OfflineInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OfflineInputError';
  }
}

function readWith<T>(file: string, what: string, parse: (text: string) => T): T {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new OfflineInputError(`cannot use ${file} as ${what}: ${(error as Error).message}`);
  }
}

export const readCheckpointFile = (file: string): Checkpoint[] => readWith(file, 'a checkpoint file', parseCheckpoints);
export const readPublicKeyFile = (file: string): KeyObject => readWith(file, 'an Ed25519 public key', parsePublicKey);

/** Streams the export line by line, so its size does not matter. */
export async function verifyExportFile(exportFile: string, checkpoints: Checkpoint[], publicKey: KeyObject, onProgress?: (eventsChecked: number) => void): Promise<OfflineReport> {
  try {
    if (!statSync(exportFile).isFile()) throw new Error('not a file');
  } catch (error) {
    throw new OfflineInputError(`cannot read the export ${exportFile}: ${(error as Error).message}`);
  }
  const input = createReadStream(exportFile, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => input.once('error', (error) => reject(new OfflineInputError(`cannot read the export ${exportFile}: ${error.message}`))));
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    return await Promise.race([verifyExportOffline(lines, checkpoints, publicKey, onProgress), failed]);
  } finally {
    lines.close();
    input.destroy();
  }
}

/** `ledger verify --offline`: the export, the checkpoint(s) and the public key, as files. */
export async function verifyExportFiles(
  files: { exportFile: string; checkpointFile: string; publicKeyFile: string },
  onProgress?: (eventsChecked: number) => void,
): Promise<OfflineReport> {
  const publicKey = readPublicKeyFile(files.publicKeyFile);
  const checkpoints = readCheckpointFile(files.checkpointFile);
  return verifyExportFile(files.exportFile, checkpoints, publicKey, onProgress);
}
