import type { EventEnvelope } from '@ledger/domain';
import type { KeyObject } from 'node:crypto';
import type { BrokenLink, VerificationReport } from '../chain/broken-link';
import { ChainChecker } from '../chain/chain-checker';
import { verifyCheckpointSignature, type Checkpoint } from '../checkpoints/checkpoint';
import { MerkleFrontier } from '../merkle/merkle-frontier';
import { leafHash } from '../merkle/merkle-hash';

export interface OfflineReport extends VerificationReport {
  /** The largest signed tree the export was checked against. */
  treeSize: number;
  /** Lines after the checkpoint's tree: chain-checked, but no signature covers them yet. */
  eventsBeyondCheckpoint: number;
}

/**
 * Checks an NDJSON export against signed checkpoints with nothing but the files: each
 * line's hash chain, then the RFC 9162 root of the first treeSize lines against each
 * checkpoint, whose Ed25519 signature must verify with the given public key. The export
 * must be the log from its first event, unfiltered (a filtered range has no root to match).
 */
export async function verifyExportOffline(
  lines: AsyncIterable<string>,
  checkpoints: Checkpoint[],
  publicKey: KeyObject,
  onProgress?: (eventsChecked: number) => void,
): Promise<OfflineReport> {
  const sorted = [...checkpoints].sort((a, b) => a.treeSize - b.treeSize);
  const treeSize = sorted.length ? sorted[sorted.length - 1].treeSize : 0;
  const chain = new ChainChecker();
  const frontier = new MerkleFrontier();
  let eventsChecked = 0;
  let next = 0;
  const report = (firstBroken: BrokenLink | null): OfflineReport => ({
    ok: firstBroken === null,
    eventsChecked,
    firstBroken,
    treeSize,
    eventsBeyondCheckpoint: Math.max(0, eventsChecked - treeSize),
  });

  if (sorted.length === 0) return report(noLocation('checkpoint-signature', 'no checkpoint was given'));
  for (const c of sorted) {
    if (!verifyCheckpointSignature(c, publicKey)) {
      return report({ ...noLocation('checkpoint-signature', `the checkpoint of tree size ${c.treeSize} does not verify with this public key`), expectedHash: c.rootHash });
    }
  }

  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber += 1;
    if (raw.trim() === '') continue;
    const event = parseLine(raw);
    if (!event) return report(noLocation('unreadable', `line ${lineNumber} is not an event envelope`));
    eventsChecked += 1;
    const broken = chain.check(event);
    if (broken) return report({ ...broken, message: `line ${lineNumber}: ${broken.message}` });
    frontier.append(leafHash(event.hash));
    while (next < sorted.length && sorted[next].treeSize === frontier.size) {
      const c = sorted[next++];
      const root = frontier.root().toString('hex');
      if (root !== c.rootHash) {
        return report({
          reason: 'checkpoint-mismatch',
          streamId: event.streamId,
          revision: event.revision,
          position: event.position,
          eventId: event.eventId,
          expectedHash: c.rootHash,
          storedHash: root,
          message: `the first ${c.treeSize} events of the export do not have the signed root`,
        });
      }
    }
    if (onProgress && eventsChecked % 5000 === 0) onProgress(eventsChecked);
  }
  if (next < sorted.length) {
    return report({
      ...noLocation('missing-events', `the checkpoint covers ${sorted[next].treeSize} events but the export holds ${eventsChecked}`),
      expectedHash: sorted[next].rootHash,
    });
  }
  return report(null);
}

function noLocation(reason: BrokenLink['reason'], message: string): BrokenLink {
  return { reason, streamId: null, revision: null, position: null, eventId: null, expectedHash: null, storedHash: null, message };
}

/** A line must be a JSON object with the envelope's fields of the right kinds. */
function parseLine(raw: string): EventEnvelope | null {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const e = value as Record<string, unknown>;
  const strings = ['eventId', 'type', 'streamId', 'occurredAt', 'occurredAtPrecision', 'recordedAt', 'prevHash', 'hash'];
  if (!strings.every((k) => typeof e[k] === 'string')) return null;
  if (typeof e.position !== 'number' || !Number.isInteger(e.revision)) return null;
  if (e.data === null || typeof e.data !== 'object' || e.metadata === null || typeof e.metadata !== 'object') return null;
  return value as EventEnvelope;
}

/** Reads a checkpoint file: one checkpoint, an array of them, or the API's `{items:[…]}`. */
export function parseCheckpoints(text: string): Checkpoint[] {
  const value = JSON.parse(text) as unknown;
  const list = Array.isArray(value) ? value : value && typeof value === 'object' && 'items' in value ? (value as { items: unknown[] }).items : [value];
  return list.map((item, i) => {
    const c = item as Partial<Checkpoint>;
    if (!Number.isInteger(c.treeSize) || typeof c.rootHash !== 'string' || typeof c.timestamp !== 'string' || typeof c.signature !== 'string') {
      throw new Error(`checkpoint ${i} lacks treeSize, rootHash, timestamp or signature`);
    }
    return { treeSize: c.treeSize!, rootHash: c.rootHash, timestamp: c.timestamp, signature: c.signature, keyId: c.keyId ?? '' };
  });
}
