import type { EventEnvelope } from '@ledger/domain';
import { BEFORE_FIRST, type EventStore } from '@ledger/event-store';
import type { KeyObject } from 'node:crypto';
import type { BrokenLink, VerificationReport } from '../chain/broken-link';
import { ChainChecker } from '../chain/chain-checker';
import type { AuditStore, LeafRecord } from '../checkpoints/audit-store';
import { verifyCheckpointSignature, type Checkpoint } from '../checkpoints/checkpoint';
import { MerkleFrontier } from '../merkle/merkle-frontier';
import { leafHash } from '../merkle/merkle-hash';
import { LeafPages } from './leaf-pages';

export interface LogVerificationOptions {
  /** The Merkle record and signed checkpoints; without it only the hash chains are checked. */
  audit?: AuditStore;
  /** Public keys by key id, to check checkpoint signatures. */
  publicKeys?: (keyId: string) => Promise<KeyObject | null>;
  /** Called every so often with the events checked and the position reached. */
  onProgress?: (progress: { eventsChecked: number; position: number }) => void;
  pageSize?: number;
}

export interface LogVerificationReport extends VerificationReport {
  /** Signed checkpoints whose root was recomputed from the log and matched. */
  checkpointsChecked: number;
  /** Leaves of the Merkle record compared with the log. */
  leavesCompared: number;
}

/**
 * Reads the whole log once, in position order, and checks three things as it goes:
 * 1. every stream's hash chain (content, deletions inside a stream, reordering in a stream);
 * 2. the Merkle record: leaf i must be the i-th event with the same hash and position —
 *    this catches what a chain alone cannot: a swap across streams, a forged new stream,
 *    a stream's last event removed;
 * 3. each signed checkpoint: the root recomputed from the log must equal the signed root,
 *    and the signature must verify — so a rewritten record is caught even if the rows of
 *    the Merkle record were rewritten along with the log.
 */
export async function verifyLog(store: EventStore, options: LogVerificationOptions = {}): Promise<LogVerificationReport> {
  const chain = new ChainChecker();
  const frontier = new MerkleFrontier();
  const checkpoints = options.audit ? await options.audit.allCheckpoints() : [];
  let eventsChecked = 0;
  let checkpointsChecked = 0;
  let leavesCompared = 0;
  let nextCheckpoint = 0;
  const report = (firstBroken: BrokenLink | null): LogVerificationReport => ({
    ok: firstBroken === null,
    eventsChecked,
    firstBroken,
    checkpointsChecked,
    leavesCompared,
  });

  for (const checkpoint of checkpoints) {
    const broken = await checkSignature(checkpoint, options.publicKeys);
    if (broken) return report(broken);
  }

  // Whole pages, each checked synchronously: one await per page instead of two per event
  // (an async iterator and a leaf cursor); measured 2-5% faster on 20k-1M events. Small
  // pages (200 measured no worse than 100-1000): a page is garbage before the next
  // scavenge, instead of being promoted.
  const pageSize = options.pageSize ?? 200;
  // A leaf row is ~50 bytes to an event's ~1 KB: five pages of events per query of leaves.
  const leaves = options.audit ? new LeafPages(options.audit, pageSize * 5) : null;
  let after = BEFORE_FIRST;
  let lastPosition: number | null = null;
  for (;;) {
    let page: EventEnvelope[];
    try {
      page = await store.readAll({ after, limit: pageSize });
    } catch (error) {
      return report(unreadable(lastPosition, error));
    }
    if (leaves) await leaves.fill(page.length);
    for (const event of page) {
      eventsChecked += 1;
      lastPosition = event.position;
      const broken = chain.check(event);
      if (broken) return report(broken);
      const leaf = leaves?.take();
      if (leaf) {
        leavesCompared += 1;
        if (leaf.position !== event.position || leaf.eventHash !== event.hash) return report(leafMismatch(event, leaf));
      }
      frontier.append(leafHash(event.hash));
      while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint].treeSize === frontier.size) {
        const checkpoint = checkpoints[nextCheckpoint++];
        const root = frontier.root().toString('hex');
        if (root !== checkpoint.rootHash) return report(checkpointMismatch(event, checkpoint, root));
        checkpointsChecked += 1;
      }
      if (eventsChecked % 5000 === 0) options.onProgress?.({ eventsChecked, position: event.position });
    }
    if (page.length < pageSize) break;
    after = page[page.length - 1].position;
  }
  options.onProgress?.({ eventsChecked, position: -1 });

  if (leaves) await leaves.fill(1);
  const missingLeaf = leaves?.take();
  if (missingLeaf) return report(missingTail(missingLeaf.position, missingLeaf.eventHash, `the Merkle record holds leaf ${missingLeaf.leafIndex} (position ${missingLeaf.position}) but the log ends after ${eventsChecked} events`));
  const missing = checkpoints[nextCheckpoint];
  if (missing) return report(missingTail(null, missing.rootHash, `a checkpoint signed a tree of ${missing.treeSize} events but the log holds ${eventsChecked}`));
  return report(null);
}

async function checkSignature(checkpoint: Checkpoint, publicKeys: LogVerificationOptions['publicKeys']): Promise<BrokenLink | null> {
  if (!publicKeys) return null;
  const key = await publicKeys(checkpoint.keyId);
  if (key && verifyCheckpointSignature(checkpoint, key)) return null;
  return {
    reason: 'checkpoint-signature',
    streamId: null,
    revision: null,
    position: null,
    eventId: null,
    expectedHash: checkpoint.rootHash,
    storedHash: null,
    message: key
      ? `the checkpoint of tree size ${checkpoint.treeSize} does not carry a valid signature of key ${checkpoint.keyId}`
      : `the checkpoint of tree size ${checkpoint.treeSize} names key ${checkpoint.keyId}, which is not known`,
  };
}

function leafMismatch(event: EventEnvelope, leaf: LeafRecord): BrokenLink {
  return {
    reason: 'leaf-mismatch',
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    eventId: event.eventId,
    expectedHash: leaf.eventHash,
    storedHash: event.hash,
    message: `leaf ${leaf.leafIndex} of the Merkle record is the event at position ${leaf.position}, but the log holds ${event.streamId}@${event.revision} at position ${event.position} there`,
  };
}

function checkpointMismatch(event: EventEnvelope, checkpoint: Checkpoint, root: string): BrokenLink {
  return {
    reason: 'checkpoint-mismatch',
    streamId: event.streamId,
    revision: event.revision,
    position: event.position,
    eventId: event.eventId,
    expectedHash: checkpoint.rootHash,
    storedHash: root,
    message: `the first ${checkpoint.treeSize} events do not have the root signed at ${checkpoint.timestamp}`,
  };
}

function missingTail(position: number | null, hash: string, message: string): BrokenLink {
  return { reason: 'missing-events', streamId: null, revision: null, position, eventId: null, expectedHash: hash, storedHash: null, message };
}

function unreadable(after: number | null, error: unknown): BrokenLink {
  return {
    reason: 'unreadable',
    streamId: null,
    revision: null,
    position: null,
    eventId: null,
    expectedHash: null,
    storedHash: null,
    message: `the event after position ${after ?? 'the start'} could not be read: ${(error as Error).message}`,
  };
}
