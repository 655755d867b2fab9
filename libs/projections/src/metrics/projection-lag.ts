import type { EventStore } from '@ledger/event-store';
import type { Clock } from '@ledger/platform';
import type { Projection } from '../core/projection';
import type { PositionTracker } from '../queries/position-tracker';

export interface LagReport {
  head: number;
  projections: { name: string; position: number; lagEvents: number; lagSeconds: number }[];
  /** The worst of them. */
  lagEvents: number;
  lagSeconds: number;
  /** Counting stops here: a lag this large is reported as this number. */
  cappedAt: number;
}

const CAP = 10_000;

/**
 * How far the projections trail the log: in events (counted after the checkpoint, up to a
 * cap, since positions have gaps) and in seconds (since the oldest unapplied event was
 * recorded). Projections at the same position are measured once.
 */
export class ProjectionLag {
  constructor(
    private readonly store: EventStore,
    private readonly tracker: PositionTracker,
    private readonly projections: readonly Projection[],
    private readonly clock: Clock,
  ) {}

  async measure(): Promise<LagReport> {
    await this.tracker.refresh(250);
    const head = await this.store.headPosition();
    const byPosition = new Map<number, { lagEvents: number; lagSeconds: number }>();
    const projections = [];
    for (const p of this.projections) {
      const position = this.tracker.position([p.name]);
      let lag = byPosition.get(position);
      if (!lag) {
        lag = { lagEvents: 0, lagSeconds: 0 };
        if (position < head) {
          const behind = await this.store.readAll({ after: position, limit: CAP });
          lag.lagEvents = behind.length;
          if (behind.length) lag.lagSeconds = Math.max(0, (this.clock.now().getTime() - Date.parse(behind[0].recordedAt)) / 1000);
        }
        byPosition.set(position, lag);
      }
      projections.push({ name: p.name, position, ...lag });
    }
    return {
      head,
      projections,
      lagEvents: Math.max(0, ...projections.map((p) => p.lagEvents)),
      lagSeconds: Math.max(0, ...projections.map((p) => p.lagSeconds)),
      cappedAt: CAP,
    };
  }
}
