import type Database from 'better-sqlite3';

interface Pending<Req, Res> {
  requests: Req[];
  atomic: boolean;
  resolve: (results: Res[]) => void;
  reject: (error: unknown) => void;
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
    private readonly apply: (request: Req) => Res,
    /** Told the results of the requests that committed, in commit order. */
    private readonly afterCommit: (committed: Res[]) => void,
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
      this.db.exec('BEGIN IMMEDIATE');
      for (const pending of batch) outcomes.push(this.runInSavepoint(pending));
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const pending of batch) pending.reject(error);
      return;
    }
    for (const { settle } of outcomes) settle();
    this.afterCommit(outcomes.flatMap((o) => o.results ?? []));
  }

  private runInSavepoint(pending: Pending<Req, Res>): { settle: () => void; results?: Res[] } {
    this.db.exec('SAVEPOINT one_request');
    try {
      const results = pending.requests.map((r) => this.apply(r));
      this.db.exec('RELEASE one_request');
      return { settle: () => pending.resolve(results), results };
    } catch (error) {
      this.db.exec('ROLLBACK TO one_request');
      this.db.exec('RELEASE one_request');
      return { settle: () => pending.reject(error) };
    }
  }
}
