import type { EventEnvelope } from '@ledger/domain';
import type { EventStore } from '@ledger/event-store';
import { auditTime, type Subscription } from 'rxjs';
import { frontierNodes, MerkleFrontier, type PerfectNode } from '../merkle/merkle-frontier';
import { leafHash } from '../merkle/merkle-hash';
import type { AuditStore, LeafRecord } from './audit-store';
import type { Checkpoint } from './checkpoint';
import type { CheckpointSigner } from './signing-key';

export interface CheckpointerOptions {
  /** Sign a checkpoint whenever this many events have been added since the last one. */
  everyEvents: number;
  /** …and at least this often while events keep arriving (0: never on time alone). */
  everyMs: number;
  /** Record time of checkpoints. */
  now: () => Date;
  /** Events read per page while catching up. */
  pageSize?: number;
}

/**
 * Keeps the Merkle record in step with the log and signs checkpoints. All work goes through
 * one queue, so the live follower, the timer and callers of sync() never interleave; pages
 * are pulled (not pushed), so catching up on a million events holds one page in memory.
 */
export class Checkpointer {
  private frontier = new MerkleFrontier();
  private lastPosition: number | null = null;
  private lastCheckpointSize = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private live?: Subscription;
  private timer?: NodeJS.Timeout;
  private ready?: Promise<void>;
  private running = false;

  constructor(
    private readonly store: EventStore,
    private readonly audit: AuditStore,
    private readonly signer: CheckpointSigner,
    private readonly options: CheckpointerOptions,
  ) {}

  /** Leaves recorded so far. */
  get treeSize(): number {
    return this.frontier.size;
  }

  /** Loads where the record stands; safe to call more than once. */
  init(): Promise<void> {
    this.ready ??= this.load();
    return this.ready;
  }

  private async load(): Promise<void> {
    await this.audit.migrate();
    await this.audit.saveKey(this.signer.keyId, this.signer.publicKey.export({ type: 'spki', format: 'pem' }).toString(), this.options.now().toISOString());
    const head = await this.audit.head();
    const keys = frontierNodes(head.size);
    const found = await this.audit.fetchNodes(keys);
    const nodes: PerfectNode[] = keys.map((k) => {
      const hash = found.get(`${k.level}:${k.index}`);
      if (!hash) throw new Error(`audit record is missing Merkle node ${k.level}:${k.index}`);
      return { ...k, hash };
    });
    this.frontier = new MerkleFrontier(head.size, nodes);
    this.lastPosition = head.lastPosition;
    this.lastCheckpointSize = (await this.audit.latestCheckpoint())?.treeSize ?? 0;
  }

  /**
   * Follows the log: catches up in the background (a large log must not hold up startup),
   * then wakes on appends; signs on count and on time.
   */
  async start(onError: (error: unknown) => void = () => undefined): Promise<void> {
    this.running = true;
    await this.init();
    const head = await this.store.headPosition();
    // Stopped while loading: following the log now would leave a subscription nobody ends.
    if (!this.running) return;
    // The subscription only says "something arrived"; sync() pulls the events itself.
    this.live = this.store
      .subscribe(head)
      .pipe(auditTime(50))
      .subscribe({ next: () => void this.sync().catch(onError), error: onError });
    void this.sync().catch(onError);
    if (this.options.everyMs > 0) {
      this.timer = setInterval(() => void this.checkpointNow().catch(onError), this.options.everyMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    this.live?.unsubscribe();
    if (this.timer) clearInterval(this.timer);
    await this.queue.catch(() => undefined);
  }

  /** Records every event appended so far; resolves with the tree size. */
  sync(): Promise<number> {
    return this.enqueue(async () => {
      await this.init();
      const pageSize = this.options.pageSize ?? 500;
      for (;;) {
        const page = await this.store.readAll({ after: this.lastPosition ?? undefined, limit: pageSize });
        if (page.length) await this.record(page);
        if (page.length < pageSize) return this.frontier.size;
        // SQLite answers without ever leaving the microtask queue: without this, catching up
        // a large log would hold the whole process (the api would not even start listening).
        await new Promise((resolve) => setImmediate(resolve));
      }
    });
  }

  /** Signs a checkpoint now if the tree grew since the last one; returns the newest checkpoint. */
  checkpointNow(): Promise<Checkpoint | null> {
    return this.enqueue(async () => {
      await this.init();
      if (this.frontier.size > this.lastCheckpointSize) {
        const checkpoint = this.signNow();
        await this.audit.insertCheckpoint(checkpoint);
        this.lastCheckpointSize = checkpoint.treeSize;
      }
      return this.audit.latestCheckpoint();
    });
  }

  private async record(events: EventEnvelope[]): Promise<void> {
    const leaves: LeafRecord[] = [];
    const nodes: PerfectNode[] = [];
    const checkpoints: Checkpoint[] = [];
    const frontier = new MerkleFrontier(this.frontier.size, this.frontier.nodes());
    let lastPosition = this.lastPosition;
    let lastCheckpointSize = this.lastCheckpointSize;
    for (const event of events) {
      if (lastPosition !== null && event.position <= lastPosition) continue;
      leaves.push({ leafIndex: frontier.size, position: event.position, eventHash: event.hash });
      nodes.push(...frontier.append(leafHash(event.hash)));
      lastPosition = event.position;
      if (frontier.size - lastCheckpointSize >= this.options.everyEvents) {
        checkpoints.push(this.signer.sign({ treeSize: frontier.size, rootHash: frontier.root().toString('hex'), timestamp: this.options.now().toISOString() }));
        lastCheckpointSize = frontier.size;
      }
    }
    // Committed first, adopted after: a failed write leaves memory as it was.
    await this.audit.append(leaves, nodes, checkpoints);
    this.frontier = frontier;
    this.lastPosition = lastPosition;
    this.lastCheckpointSize = lastCheckpointSize;
  }

  private signNow(): Checkpoint {
    return this.signer.sign({ treeSize: this.frontier.size, rootHash: this.frontier.root().toString('hex'), timestamp: this.options.now().toISOString() });
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
