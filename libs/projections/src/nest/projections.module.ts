import { Global, Inject, Injectable, Logger, Module, Optional, type DynamicModule, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@ledger/event-store';
import { CLOCK, LEDGER_CONFIG, openReadModelDb, READ_MODEL_DB, type Clock, type LedgerConfig, type ReadModelDb } from '@ledger/platform';
import { Recorder } from '@ledger/recorder';
import type { Observable } from 'rxjs';
import type { Projection } from '../core/projection';
import { SHADOW_SUFFIX } from '../core/table-spec';
import { ALL_PROJECTIONS } from '../definitions/all';
import type { DeadlineWatcherHealth } from '../deadlines/deadline-watcher';
import { PointInTimeViews } from '../memory/point-in-time';
import { ProjectionLag, type LagReport } from '../metrics/projection-lag';
import { registerProjectionMetrics } from '../metrics/projection-metrics';
import { PositionTracker } from '../queries/position-tracker';
import { ProjectionQueries } from '../queries/projection-queries';
import { ViewCache } from '../queries/view-cache';
import { createLease } from '../runner/lease';
import type { RunnerOptions } from '../runner/projection-runner';
import { Projector } from '../runner/projector';
import { readCheckpoints, requestRebuild } from '../store/checkpoints';
import { ensureCheckpointTable } from '../store/schema';

export const PROJECTIONS_OPTIONS = Symbol('PROJECTIONS_OPTIONS');

export interface ProjectionsModuleOptions {
  /** Run the projector (under the lease) and the deadline watcher in this process. */
  background: boolean;
  /** Where the settings are read (LEDGER_MIN_POSITION_WAIT_MS, …); default process.env. */
  env?: NodeJS.ProcessEnv;
  runner?: RunnerOptions;
}

export interface ProjectionSettings {
  background: boolean;
  /** How long a query with minPosition waits before 503 (LEDGER_MIN_POSITION_WAIT_MS, default 5000). */
  queryWaitMs: number;
  /** How often the deadline watcher compares the clock with the due dates (LEDGER_DEADLINE_CHECK_MS, default 1000). */
  watcherIntervalMs: number;
  /** Readiness fails while the projections trail the log by more events than this (LEDGER_READY_MAX_LAG, default 1000). */
  readyMaxLag: number;
  runner?: RunnerOptions;
}

function intSetting(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer (got "${raw}")`);
  return n;
}

export function projectionSettings(options: ProjectionsModuleOptions): ProjectionSettings {
  const env = options.env ?? process.env;
  return {
    background: options.background,
    queryWaitMs: intSetting(env, 'LEDGER_MIN_POSITION_WAIT_MS', 5000),
    watcherIntervalMs: intSetting(env, 'LEDGER_DEADLINE_CHECK_MS', 1000),
    readyMaxLag: intSetting(env, 'LEDGER_READY_MAX_LAG', 1000),
    runner: options.runner,
  };
}

export interface ProjectionStatusRow {
  name: string;
  version: number;
  codeVersion: number;
  position: number;
  rebuildRequested: boolean;
  rebuilding: { version: number; position: number } | null;
}

/**
 * The projections in one process: queries, read-your-writes waits, lag, point-in-time
 * views, and (with `background`) the projector and the deadline watcher.
 */
@Injectable()
export class ProjectionsService implements OnModuleInit, OnModuleDestroy {
  readonly queries: ProjectionQueries;
  readonly tracker: PositionTracker;
  readonly pointInTime: PointInTimeViews;
  readonly lag: ProjectionLag;
  /** Single views by position (see ViewCache). */
  readonly views = new ViewCache();
  readonly projections: readonly Projection[] = ALL_PROJECTIONS;
  projector: Projector | null = null;
  private writeDb?: ReadModelDb;
  private unregisterMetrics?: () => void;
  private readonly logger = new Logger('projections');

  constructor(
    @Inject(PROJECTIONS_OPTIONS) readonly settings: ProjectionSettings,
    @Inject(LEDGER_CONFIG) private readonly config: LedgerConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_MODEL_DB) private readonly readModel: ReadModelDb,
    @Optional() private readonly recorder?: Recorder,
  ) {
    this.queries = new ProjectionQueries(readModel);
    this.tracker = new PositionTracker(readModel, { waitMs: settings.queryWaitMs });
    this.pointInTime = new PointInTimeViews(store, readModel);
    this.lag = new ProjectionLag(store, this.tracker, this.projections, clock);
  }

  async onModuleInit(): Promise<void> {
    await ensureCheckpointTable(this.readModel.db);
    this.unregisterMetrics = registerProjectionMetrics(this.lag);
    if (!this.settings.background) return;
    // Its own connection on PostgreSQL: a rebuild's long transactions must not queue the api's reads.
    // Not on SQLite: a second writing better-sqlite3 handle on the same file deadlocks the process —
    // its busy wait is synchronous, so a write on one handle blocks the event loop (busy_timeout,
    // then "database is locked") while the other handle's async transaction waits for that loop.
    // There the queries read through the read model's read-only handle instead (ReadModelDb.reads).
    this.writeDb = this.readModel.dialect === 'sqlite' ? this.readModel : await openReadModelDb(this.config);
    const log = (level: 'info' | 'warn' | 'error', message: string, meta?: Record<string, unknown>) => {
      const text = meta ? `${message} ${JSON.stringify(meta)}` : message;
      if (level === 'error') this.logger.error(text);
      else if (level === 'warn') this.logger.warn(text);
      else this.logger.log(text);
    };
    this.projector = new Projector(this.store, this.writeDb, createLease(this.writeDb, this.config.databaseUrl), {
      recorder: this.recorder,
      clock: this.clock,
      watcherIntervalMs: this.settings.watcherIntervalMs,
      runner: this.settings.runner,
      log,
    });
    this.tracker.follow(this.projector.runner.positions$);
    await this.projector.start();
    await this.projector.started(3000);
  }

  async onModuleDestroy(): Promise<void> {
    this.unregisterMetrics?.();
    await this.projector?.stop();
    this.tracker.close();
    if (this.writeDb !== this.readModel) await this.writeDb?.close();
  }

  /** The projector's positions as it moves (with `background` only): a background thread sends them to its api. */
  get runnerPositions(): Observable<ReadonlyMap<string, number>> | undefined {
    return this.projector?.runner.positions$;
  }

  /** Whether this process's projector holds the lease (null without `background`). */
  get isLeader(): boolean | null {
    return this.projector ? this.projector.isLeader : null;
  }

  /** For /health: ready once the projections trail the log by at most `readyMaxLag` events. */
  async health(): Promise<{
    ready: boolean;
    lagEvents: number;
    lagSeconds: number;
    leader: boolean | null;
    projections: LagReport['projections'];
    deadlineWatcher: DeadlineWatcherHealth | null;
  }> {
    const report = await this.lag.measure();
    return {
      ready: report.lagEvents <= this.settings.readyMaxLag,
      lagEvents: report.lagEvents,
      lagSeconds: report.lagSeconds,
      leader: this.isLeader,
      projections: report.projections,
      // Not part of readiness: queries do not wait for it. Null where this process runs none.
      deadlineWatcher: this.deadlineWatcherHealth,
    };
  }

  /** This process's deadline watcher (with `background` and a recorder), or null. */
  get deadlineWatcherHealth(): DeadlineWatcherHealth | null {
    return this.projector?.watcher?.health() ?? null;
  }

  /** Asks the process holding the projector lease to rebuild (it looks every second). */
  async requestRebuild(names: readonly string[]): Promise<string[]> {
    await requestRebuild(this.readModel.db, names);
    return [...names];
  }

  async status(): Promise<ProjectionStatusRow[]> {
    const checkpoints = await readCheckpoints(this.readModel.reads);
    return this.projections.map((p) => {
      const live = checkpoints.get(p.name);
      const shadow = checkpoints.get(`${p.name}${SHADOW_SUFFIX}`);
      return {
        name: p.name,
        version: live?.version ?? p.version,
        codeVersion: p.version,
        position: live?.position ?? -1,
        rebuildRequested: live?.rebuildRequested ?? false,
        rebuilding: shadow ? { version: shadow.version, position: shadow.position } : null,
      };
    });
  }
}

/** `ProjectionsModule.forRoot({ background })`: wiring only. Needs the core providers (store, read model, clock, config). */
@Global()
@Module({})
export class ProjectionsModule {
  static forRoot(options: ProjectionsModuleOptions): DynamicModule {
    return {
      module: ProjectionsModule,
      providers: [{ provide: PROJECTIONS_OPTIONS, useValue: projectionSettings(options) }, ProjectionsService],
      exports: [ProjectionsService],
    };
  }
}
