import type { EventStore } from '@ledger/event-store';
import type { ReadModelDb } from '@ledger/platform';
import { sql } from 'kysely';
import { BehaviorSubject } from 'rxjs';
import type { Projection } from '../core/projection';
import { physicalName } from '../core/table-spec';
import { ALL_PROJECTIONS } from '../definitions/all';
import { checkpointName, clearRebuildRequest, deleteCheckpoint, readCheckpoints, writeCheckpoint, type Checkpoint } from '../store/checkpoints';
import { createIndexes, createProjectionTables, dropProjectionTables, ensureCheckpointTable, lacksIndexes } from '../store/schema';
import { Lane, type LaneOptions } from './lane';
import { Member } from './member';

export type RunnerLog = LaneOptions['log'];

const frozenMembers = new WeakSet<Member>();

const isFrozen = (m: Member) => frozenMembers.has(m);

export interface RunnerOptions {
  projections?: readonly Projection[];
  pageSize?: number;
  /** See LaneOptions: keyed states are committed every this many events while catching up (default: when caught up). */
  flushEvery?: number;
  flushEveryMs?: number;
  liveBatch?: number;
  /** See LaneOptions.liveGapMs (default 5 ms). */
  liveGapMs?: number;
  maxCached?: number;
  retryMs?: number;
  /** How often the leader looks for rebuild requests (admin route, CLI). 0: never. */
  rebuildPollMs?: number;
  log?: RunnerLog;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  /** Position of the tables queries read. */
  position: number;
  rebuilding: { position: number; version: number } | null;
}

export interface RebuildProgress {
  names: string[];
  position: number;
}

/**
 * Runs the projections: resumes each from its checkpoint, catches up, follows live appends.
 * A projection whose version changed is rebuilt into shadow tables while queries keep
 * reading the old ones, then swapped in atomically. Exactly one runner may write a
 * read-model database at a time (see the lease).
 */
export class ProjectionRunner {
  /** Committed positions of the live tables, by projection. */
  readonly positions$ = new BehaviorSubject<ReadonlyMap<string, number>>(new Map());
  readonly rebuildProgress$ = new BehaviorSubject<RebuildProgress | null>(null);
  private readonly projections: readonly Projection[];
  private readonly laneOptions: Omit<LaneOptions, 'onCaughtUp'>;
  private main?: Lane;
  private readonly rebuilds = new Map<Lane, { names: string[]; done: () => void; failed: (e: unknown) => void }>();
  private timer?: NodeJS.Timeout;
  private running = false;
  private readonly log: RunnerLog;

  constructor(
    private readonly store: EventStore,
    private readonly readModel: ReadModelDb,
    private readonly options: RunnerOptions = {},
  ) {
    this.projections = options.projections ?? ALL_PROJECTIONS;
    this.log = options.log ?? (() => undefined);
    this.laneOptions = {
      pageSize: options.pageSize ?? 2000,
      flushEvery: options.flushEvery ?? Number.POSITIVE_INFINITY,
      flushEveryMs: options.flushEveryMs ?? 30_000,
      liveBatch: options.liveBatch ?? 1000,
      liveGapMs: options.liveGapMs ?? 5,
      maxQueued: 50_000,
      retryMs: options.retryMs ?? 1000,
      log: this.log,
      onCommitted: (lane) => this.committed(lane),
    };
  }

  get isRunning(): boolean {
    return this.running;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    const db = this.readModel.db;
    if (this.readModel.dialect === 'sqlite') {
      // This connection writes in large transactions: give it room (the defaults are 2 MB).
      await sql`pragma cache_size = -65536`.execute(db);
      await sql`pragma temp_store = memory`.execute(db);
    }
    await ensureCheckpointTable(db);
    const checkpoints = await readCheckpoints(db);
    const live: Member[] = [];
    const behind: Member[] = [];
    for (const projection of this.projections) {
      const { current, shadow } = await this.prepare(projection, checkpoints);
      live.push(current);
      if (shadow) behind.push(shadow);
    }
    // Stopped while the tables were being set up: a lane started now would have nobody to
    // stop it, and once the store closed it would retry every retryMs for ever.
    if (!this.running) return;
    const writable = live.filter((m) => !isFrozen(m));
    const top = Math.max(-1, ...writable.map((m) => m.position));
    const main = writable.filter((m) => m.position === top);
    behind.push(...writable.filter((m) => !main.includes(m)));
    this.publish(live);
    this.main = this.lane('main', main, (lane) => this.addIndexes(lane.members));
    if (behind.length > 0) {
      this.startRebuildLane(behind).catch((error) => this.log('warn', 'catch-up ended early', { error: String(error) }));
    }
    const rebuildPollMs = this.options.rebuildPollMs ?? 1000;
    if (rebuildPollMs > 0) {
      this.timer = setInterval(() => void this.pollRebuildRequests(), rebuildPollMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.rebuilds.keys()].map((l) => l.stop()));
    await this.main?.stop();
    for (const { failed } of this.rebuilds.values()) failed(new Error('projector stopped before the rebuild finished'));
    this.rebuilds.clear();
  }

  /** Resolves once every projection has reached `position` (in its live tables). */
  async waitFor(position: number, timeoutMs = 30_000): Promise<void> {
    const started = Date.now();
    while (Math.min(...this.projections.map((p) => this.positions$.value.get(p.name) ?? -1)) < position) {
      if (Date.now() - started > timeoutMs) throw new Error(`projections did not reach ${position} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Rebuilds from the first event into shadow tables and swaps them in; queries read the
   * current tables meanwhile. Resolves when the new tables are live.
   */
  async rebuild(names: readonly string[] = this.projections.map((p) => p.name)): Promise<void> {
    if (!this.running) throw new Error('the projector is not running');
    const busy = new Set([...this.rebuilds.values()].flatMap((r) => r.names));
    const members: Member[] = [];
    for (const name of names) {
      const projection = this.projections.find((p) => p.name === name);
      if (!projection) throw new Error(`no projection named ${name}`);
      if (busy.has(name)) continue;
      members.push(await this.freshShadow(projection));
    }
    if (members.length === 0) return;
    if (!this.running) throw new Error('the projector stopped before the rebuild started');
    await this.startRebuildLane(members);
  }

  status(checkpoints?: Map<string, Checkpoint>): ProjectionStatus[] {
    return this.projections.map((p) => {
      const rebuilding = [...this.rebuilds.keys()].flatMap((l) => l.members).find((m) => m.name === p.name && m.set === 'shadow');
      return {
        name: p.name,
        version: checkpoints?.get(p.name)?.version ?? p.version,
        position: this.positions$.value.get(p.name) ?? -1,
        rebuilding: rebuilding ? { position: rebuilding.position, version: p.version } : null,
      };
    });
  }

  /** Sets up the live tables (and the shadow ones, when the version changed). */
  private async prepare(projection: Projection, checkpoints: Map<string, Checkpoint>): Promise<{ current: Member; shadow?: Member }> {
    const db = this.readModel.db;
    const dialect = this.readModel.dialect;
    const cp = checkpoints.get(checkpointName(projection.name, 'live'));
    const shadowCp = checkpoints.get(checkpointName(projection.name, 'shadow'));
    let current: Member;
    if (!cp) {
      await dropProjectionTables(db, projection, 'live');
      // Tables filled from empty get their secondary indexes once caught up (here and in
      // freshShadow): an append-only table grows by one or more rows per event, and sorting
      // its indexes once at the end is faster than keeping them. Keyed tables are written
      // mostly once per key, at the end of a rebuild, with wide rows (the documents) that
      // spill onto overflow pages: inserting them into ten B-trees at once measured slower
      // than inserting into one and building each index afterwards (it reads only the small
      // leading columns of each row).
      await createProjectionTables(db, dialect, projection, 'live', false);
      await writeCheckpoint(db, projection.name, projection.version, -1);
      current = this.member(projection, 'live', -1, true);
      current.indexesPending = true;
    } else {
      current = this.member(projection, 'live', cp.position, false);
      for (const spec of projection.tables) if (await lacksIndexes(db, dialect, spec, 'live')) current.indexesPending = true;
    }
    if (cp && cp.version !== projection.version) {
      // Old tables keep serving; the new version is built beside them.
      if (shadowCp && shadowCp.version === projection.version) {
        return { current: this.frozen(current), shadow: this.member(projection, 'shadow', shadowCp.position, false) };
      }
      return { current: this.frozen(current), shadow: await this.freshShadow(projection) };
    }
    if (shadowCp && shadowCp.version === projection.version) {
      return { current, shadow: this.member(projection, 'shadow', shadowCp.position, false) }; // resume an interrupted rebuild
    }
    if (shadowCp) {
      await dropProjectionTables(db, projection, 'shadow');
      await deleteCheckpoint(db, shadowCp.name);
    }
    return { current };
  }

  /** Live tables of an old version: reported, never written (their evolve is gone). */
  private frozen(member: Member): Member {
    frozenMembers.add(member);
    return member;
  }

  private async freshShadow(projection: Projection): Promise<Member> {
    const db = this.readModel.db;
    await dropProjectionTables(db, projection, 'shadow');
    await createProjectionTables(db, this.readModel.dialect, projection, 'shadow', false);
    await writeCheckpoint(db, checkpointName(projection.name, 'shadow'), projection.version, -1);
    return this.member(projection, 'shadow', -1, true);
  }

  private member(projection: Projection, set: 'live' | 'shadow', position: number, complete: boolean): Member {
    return new Member(projection, set, position, complete, this.options.maxCached ?? 100_000);
  }

  private lane(name: string, members: Member[], onCaughtUp?: LaneOptions['onCaughtUp']): Lane {
    const lane = new Lane(
      name,
      members.filter((m) => !isFrozen(m)),
      this.store,
      this.readModel,
      { ...this.laneOptions, onCaughtUp },
    );
    lane.start();
    return lane;
  }

  private startRebuildLane(members: Member[]): Promise<void> {
    const names = members.map((m) => m.name);
    return new Promise<void>((done, failed) => {
      const lane = this.lane(`rebuild:${names.join(',')}`, members, (l) => this.caughtUp(l));
      this.rebuilds.set(lane, { names, done, failed });
    });
  }

  /** Indexes of tables filled from empty, once they caught up. */
  private async addIndexes(members: readonly Member[]): Promise<void> {
    for (const member of members) {
      if (!member.indexesPending || member.set !== 'live') continue;
      for (const spec of member.projection.tables) {
        if (await lacksIndexes(this.readModel.db, this.readModel.dialect, spec, 'live')) await createIndexes(this.readModel.db, spec, 'live');
      }
      member.indexesPending = false;
    }
  }

  /** A rebuild lane reached the head: swap its shadow tables in and hand its projections to the main lane. */
  private async caughtUp(lane: Lane): Promise<void> {
    const main = this.main!;
    await this.addIndexes(lane.members);
    for (const member of lane.members) {
      if (member.set !== 'shadow') continue;
      await main.release(member.name);
      await this.swap(member);
    }
    const moved = lane.members.splice(0);
    await main.adopt(moved);
    lane.stopSoon();
    const entry = this.rebuilds.get(lane);
    this.rebuilds.delete(lane);
    this.rebuildProgress$.next(null);
    this.log('info', 'projections rebuilt and swapped in', { projections: entry?.names });
    entry?.done();
  }

  /** One transaction: the old tables go, the shadow tables take their names, the checkpoint moves. */
  private async swap(member: Member): Promise<void> {
    const projection = member.projection;
    for (const spec of projection.tables) await createIndexes(this.readModel.db, spec, 'shadow');
    await this.readModel.db.transaction().execute(async (trx) => {
      for (const spec of projection.tables) {
        await trx.schema.dropTable(physicalName(spec.name, 'live')).ifExists().execute();
        await trx.schema.alterTable(physicalName(spec.name, 'shadow')).renameTo(physicalName(spec.name, 'live')).execute();
      }
      await deleteCheckpoint(trx, checkpointName(projection.name, 'shadow'));
      await writeCheckpoint(trx, projection.name, projection.version, member.position);
    });
    member.set = 'live';
  }

  private committed(lane: Lane): void {
    const liveMembers = lane.members.filter((m) => m.set === 'live');
    if (liveMembers.length) this.publish(liveMembers);
    const shadows = lane.members.filter((m) => m.set === 'shadow');
    if (shadows.length) this.rebuildProgress$.next({ names: shadows.map((m) => m.name), position: Math.min(...shadows.map((m) => m.position)) });
  }

  private publish(members: readonly Member[]): void {
    const next = new Map(this.positions$.value);
    let changed = false;
    for (const m of members) {
      if (next.get(m.name) !== m.position) {
        next.set(m.name, m.position);
        changed = true;
      }
    }
    if (changed) this.positions$.next(next);
  }

  private async pollRebuildRequests(): Promise<void> {
    try {
      const checkpoints = await readCheckpoints(this.readModel.db);
      const wanted = this.projections.filter((p) => checkpoints.get(p.name)?.rebuildRequested).map((p) => p.name);
      if (wanted.length === 0 || !this.running) return;
      for (const name of wanted) await clearRebuildRequest(this.readModel.db, name);
      this.log('info', 'rebuild requested', { projections: wanted });
      this.rebuild(wanted).catch((error) => this.log('error', 'rebuild failed', { error: String(error) }));
    } catch (error) {
      this.log('warn', 'could not read rebuild requests', { error: String(error) });
    }
  }
}
