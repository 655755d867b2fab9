import { LedgerError } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import type { AuditStore } from '../checkpoints/audit-store';
import type { Checkpoint } from '../checkpoints/checkpoint';
import { leafHash } from './merkle-hash';
import { consistencyProof, inclusionPath, subtreeHash, withStoredNodes } from './merkle-proofs';

export interface InclusionProof {
  eventId: string;
  position: number;
  leafIndex: number;
  treeSize: number;
  /** The event's chain hash (the leaf's input). */
  eventHash: string;
  /** SHA-256(0x00 ‖ eventHash). */
  leafHash: string;
  rootHash: string;
  /** RFC 9162 PATH(leafIndex, D[treeSize]), deepest sibling first, hex. */
  auditPath: string[];
  /** The signed checkpoint of exactly this tree size, when there is one. */
  checkpoint: Checkpoint | null;
}

export interface ConsistencyProof {
  from: number;
  to: number;
  fromRootHash: string;
  toRootHash: string;
  /** RFC 9162 PROOF(from, D[to]), hex. */
  proof: string[];
  fromCheckpoint: Checkpoint | null;
  toCheckpoint: Checkpoint | null;
}

const hex = (b: Buffer): string => b.toString('hex');

/** Proofs over the stored Merkle record; `treeSize` may be any size up to what is recorded. */
export class AuditProofs {
  constructor(
    private readonly store: EventStore,
    private readonly audit: AuditStore,
  ) {}

  async rootAt(treeSize: number): Promise<string> {
    await this.checkTreeSize(treeSize, 'treeSize');
    return hex(await withStoredNodes((k) => this.audit.fetchNodes(k), (src) => subtreeHash(src, 0, treeSize)));
  }

  /** Without treeSize: the newest signed checkpoint's, or the recorded tree when none is signed yet. */
  async inclusion(eventId: string, treeSize?: number): Promise<InclusionProof> {
    const event = await this.store.getEvent(eventId);
    if (!event) throw new LedgerError('EVENT.NOT_FOUND', `No event has id ${eventId}.`, { eventId });
    const size = treeSize ?? (await this.defaultTreeSize());
    await this.checkTreeSize(size, 'treeSize');
    const leaf = await this.audit.leafAtPosition(event.position);
    if (!leaf) {
      throw new LedgerError('AUDIT.NOT_YET_RECORDED', `Event ${eventId} is not in the Merkle record yet; retry shortly.`, { eventId });
    }
    if (leaf.leafIndex >= size) {
      throw new LedgerError('AUDIT.EVENT_NOT_IN_TREE', `Event ${eventId} is leaf ${leaf.leafIndex}, outside a tree of ${size}.`, { eventId, leafIndex: leaf.leafIndex, treeSize: size }, [
        { field: 'treeSize', reasons: [`must be greater than the event's leaf index ${leaf.leafIndex}`] },
      ]);
    }
    const { path, root } = await withStoredNodes(
      (k) => this.audit.fetchNodes(k),
      (src) => ({ path: inclusionPath(src, leaf.leafIndex, size), root: subtreeHash(src, 0, size) }),
    );
    return {
      eventId,
      position: event.position,
      leafIndex: leaf.leafIndex,
      treeSize: size,
      eventHash: leaf.eventHash,
      leafHash: hex(leafHash(leaf.eventHash)),
      rootHash: hex(root),
      auditPath: path.map(hex),
      checkpoint: await this.audit.checkpointAt(size),
    };
  }

  async consistency(from: number, to: number): Promise<ConsistencyProof> {
    await this.checkTreeSize(to, 'to');
    if (!(Number.isInteger(from) && from >= 1 && from <= to)) {
      throw new LedgerError('AUDIT.TREE_SIZE_OUT_OF_RANGE', `from must be between 1 and to (${to}).`, { from, to }, [
        { field: 'from', reasons: [`must be an integer from 1 to ${to}`] },
      ]);
    }
    const { proof, fromRoot, toRoot } = await withStoredNodes(
      (k) => this.audit.fetchNodes(k),
      (src) => ({ proof: consistencyProof(src, from, to), fromRoot: subtreeHash(src, 0, from), toRoot: subtreeHash(src, 0, to) }),
    );
    return {
      from,
      to,
      fromRootHash: hex(fromRoot),
      toRootHash: hex(toRoot),
      proof: proof.map(hex),
      fromCheckpoint: await this.audit.checkpointAt(from),
      toCheckpoint: await this.audit.checkpointAt(to),
    };
  }

  private async defaultTreeSize(): Promise<number> {
    return (await this.audit.latestCheckpoint())?.treeSize ?? (await this.audit.head()).size;
  }

  private async checkTreeSize(treeSize: number, field: string): Promise<void> {
    const recorded = (await this.audit.head()).size;
    if (!(Number.isInteger(treeSize) && treeSize >= 1 && treeSize <= recorded)) {
      throw new LedgerError('AUDIT.TREE_SIZE_OUT_OF_RANGE', `${field} must be an integer from 1 to ${recorded}, the events recorded so far.`, { [field]: treeSize, recorded }, [
        { field, reasons: [recorded === 0 ? 'the log is empty' : `must be an integer from 1 to ${recorded}`] },
      ]);
    }
  }
}
