import type Database from 'better-sqlite3';

interface Pending<Req, Res> {
  requests: Req[];
  atomic: boolean;
  resolve: (results: Res[]) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitSteps<Req, Res> {
  /** Runs one request inside the transaction (and its savepoint). */
  apply: (request: Req) => Res;
  /** Told the results of the requests that committed, in commit order. */
  afterCommit: (committed: Res[]) => void;
  /** A transaction begins, or something rolled back: drop whatever was remembered from inside it. */
  forget?: () => void;
}

/**
 * Collects the appends that arrive within one turn of the event loop and commits them in
 * one transaction: one fsync for many requests. Each request (or atomic group) runs in a
 * savepoint, so its failure rolls back only itself. BEGIN IMMEDIATE takes the write lock
 * up front, so positions are handed out in commit order.
 */
export class GroupCommit<Req, Res> {
  private queue: Pending<Req, Res>[] = [];
  private scheduled = false;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Database.Database,
    private readonly steps: GroupCommitSteps<Req, Res>,
    private readonly maxBatch = 1000,
  ) {}

  submit(request: Req): Promise<Res> {
    return new Promise<Res[]>((resolve, reject) => this.enqueue({ requests: [request], atomic: false, resolve, reject })).then(
      (r) => r[0],
    );
  }

  /** All requests commit together or none does. */
  submitAtomic(requests: Req[]): Promise<Res[]> {
    return new Promise<Res[]>((resolve, reject) => this.enqueue({ requests, atomic: true, resolve, reject }));
  }

  async drain(): Promise<void> {
    while (this.queue.length || this.scheduled) {
      await this.flushing;
      await new Promise((r) => setImmediate(r));
    }
    await this.flushing;
  }

  private enqueue(pending: Pending<Req, Res>): void {
    this.queue.push(pending);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    if (batch.length === 0) return;
    const outcomes: { settle: () => void; results?: Res[] }[] = [];
    try {
      this.steps.forget?.();
      this.db.exec('BEGIN IMMEDIATE');
      for (const pending of batch) outcomes.push(this.runInSavepoint(pending));
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.steps.forget?.();
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const { settle } of outcomes) settle();
    this.steps.afterCommit(outcomes.flatMap((o) => o.results ?? []));
  }

  private runInSavepoint(pending: Pending<Req, Res>): { settle: () => void; results?: Res[] } {
    this.db.exec('SAVEPOINT one_request');
    try {
      const results = pending.requests.map((r) => this.steps.apply(r));
      this.db.exec('RELEASE one_request');
      return { settle: () => pending.resolve(results), results };
    } catch (error) {
      this.db.exec('ROLLBACK TO one_request');
      this.db.exec('RELEASE one_request');
      this.steps.forget?.();
      return { settle: () => pending.reject(error) };
    }
  }
}
