/** Why verification stopped. Stable strings: the CLI and the API report them as they are. */
export type BreakReason =
  /** The stored hash is not the hash of the stored fields: a field was changed. */
  | 'hash-mismatch'
  /** prevHash does not name the stream's previous event: an event was removed or moved. */
  | 'prev-hash-mismatch'
  /** The stream's revisions are not 0, 1, 2 … in log order: deleted, swapped or forged rows. */
  | 'revision-gap'
  /** Positions do not strictly increase. */
  | 'position-order'
  /** The event is not the one the Merkle record holds at this leaf (swap, insert, delete). */
  | 'leaf-mismatch'
  /** The recomputed tree root differs from a signed checkpoint's root. */
  | 'checkpoint-mismatch'
  /** A checkpoint's signature does not verify with the ledger's public key. */
  | 'checkpoint-signature'
  /** The log ends before a leaf or a checkpoint that covered more events: the tail was cut. */
  | 'missing-events'
  /** A row or a line could not be read as an event at all. */
  | 'unreadable';

/** Where the record first stops being what was written. */
export interface BrokenLink {
  reason: BreakReason;
  streamId: string | null;
  revision: number | null;
  position: number | null;
  eventId: string | null;
  /** What the verifier computed or expected (a hash, hex). */
  expectedHash: string | null;
  /** What the record holds there. */
  storedHash: string | null;
  /** One sentence for a person. */
  message: string;
}

export interface VerificationReport {
  ok: boolean;
  eventsChecked: number;
  firstBroken: BrokenLink | null;
}
