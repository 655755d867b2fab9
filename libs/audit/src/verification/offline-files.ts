import { createReadStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parsePublicKey } from '../checkpoints/checkpoint';
import { parseCheckpoints, verifyExportOffline, type OfflineReport } from './offline-verifier';

/** `ledger verify --offline`: the three files, read as a stream (the export) and whole (the rest). */
export async function verifyExportFiles(
  files: { exportFile: string; checkpointFile: string; publicKeyFile: string },
  onProgress?: (eventsChecked: number) => void,
): Promise<OfflineReport> {
  const publicKey = parsePublicKey(readFileSync(files.publicKeyFile, 'utf8'));
  const checkpoints = parseCheckpoints(readFileSync(files.checkpointFile, 'utf8'));
  const lines = createInterface({ input: createReadStream(files.exportFile, { encoding: 'utf8' }), crlfDelay: Infinity });
  try {
    return await verifyExportOffline(lines, checkpoints, publicKey, onProgress);
  } finally {
    lines.close();
  }
}
