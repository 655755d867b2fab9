import type { EventStore } from '@ledger/event-store';
import type { ReadModelDb } from '@ledger/platform';
import type { Projection } from '../core/projection';
import { SHADOW_SUFFIX } from '../core/table-spec';
import { ALL_PROJECTIONS } from '../definitions/all';
import { readCheckpoints, requestRebuild } from '../store/checkpoints';
import { ensureCheckpointTable } from '../store/schema';
import { createLease } from './lease';
import { ProjectionRunner } from './projection-runner';

export interface RebuildOptions {
  names?: readonly string[];
  projections?: readonly Projection[];
  /** PostgreSQL: the lease is an advisory lock on its own connection. */
  databaseUrl?: string;
  onProgress?: (progress: { position: number; head: number }) => void;
  /** How long to try for the projector lease before asking its holder instead. */
  leaseWaitMs?: number;
}

export interface RebuildOutcome {
  /** `here`: this process rebuilt; `leader`: the process holding the lease did, on request. */
  by: 'here' | 'leader';
  names: string[];
  /** The log position the rebuilt tables had reached when swapped in. */
  position: number;
  ms: number;
}

/**
 * `ledger rebuild`: rebuilds into shadow tables and swaps them in. If no process is
 * projecting, this one takes the lease and does it; otherwise it asks the leader (the
 * same flag as the admin route) and follows its progress, so that two processes never
 * write the same tables.
 */
export async function rebuildProjections(store: EventStore, readModel: ReadModelDb, options: RebuildOptions = {}): Promise<RebuildOutcome> {
  const projections = options.projections ?? ALL_PROJECTIONS;
  const names = [...(options.names ?? projections.map((p) => p.name))];
  const unknown = names.filter((n) => !projections.some((p) => p.name === n));
  if (unknown.length) throw new Error(`no projection named ${unknown.join(', ')}; known: ${projections.map((p) => p.name).join(', ')}`);
  const started = Date.now();
  await ensureCheckpointTable(readModel.db);
  const lease = createLease(readModel, options.databaseUrl);
  const held = await lease
    .acquire(AbortSignal.timeout(options.leaseWaitMs ?? 1500))
    .then(() => true)
    .catch(() => false);
  if (held) {
    const runner = new ProjectionRunner(store, readModel, { projections, rebuildPollMs: 0, pageSize: 5000 });
    const head = await store.headPosition();
    const progress = runner.rebuildProgress$.subscribe((p) => p && options.onProgress?.({ position: p.position, head }));
    const fresh = runner.positions$.subscribe((positions) => {
      const at = names.map((n) => positions.get(n) ?? -1);
      if (options.onProgress && at.length) options.onProgress({ position: Math.min(...at), head });
    });
    try {
      await runner.start();
      if (names.every((n) => (runner.positions$.value.get(n) ?? -1) < 0)) {
        // Brand-new tables: the runner is building them from the first event already.
        await runner.waitFor(head, Number.MAX_SAFE_INTEGER);
      } else {
        await runner.rebuild(names);
      }
      fresh.unsubscribe();
      const position = Math.min(...names.map((n) => runner.positions$.value.get(n) ?? -1));
      return { by: 'here', names, position, ms: Date.now() - started };
    } finally {
      progress.unsubscribe();
      fresh.unsubscribe();
      await runner.stop();
      await lease.release();
    }
  }
  await requestRebuild(readModel.db, names);
  for (;;) {
    await new Promise((r) => setTimeout(r, 250));
    const checkpoints = await readCheckpoints(readModel.db);
    const pending = names.filter((n) => checkpoints.get(n)?.rebuildRequested || checkpoints.has(`${n}${SHADOW_SUFFIX}`));
    const shadows = names.map((n) => checkpoints.get(`${n}${SHADOW_SUFFIX}`)).filter((c) => c !== undefined);
    if (shadows.length) options.onProgress?.({ position: Math.min(...shadows.map((c) => c.position)), head: await store.headPosition() });
    if (pending.length === 0) {
      return { by: 'leader', names, position: Math.min(...names.map((n) => checkpoints.get(n)?.position ?? -1)), ms: Date.now() - started };
    }
  }
}
