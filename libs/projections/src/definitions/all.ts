import type { Projection } from '../core/projection';
import { boycottsProjection } from './boycotts.projection';
import { jurisdictionsProjection } from './jurisdictions.projection';
import { meetingsProjection } from './meetings.projection';
import { officialsProjection } from './officials.projection';
import { organizationsProjection } from './organizations.projection';
import { statementsProjection } from './statements.projection';
import { statsProjection } from './stats.projection';
import { timelineProjection } from './timeline.projection';

/** Every projection the ledger runs, by name. */
export const ALL_PROJECTIONS: readonly Projection[] = [
  jurisdictionsProjection,
  officialsProjection,
  organizationsProjection,
  meetingsProjection,
  boycottsProjection,
  statementsProjection,
  statsProjection,
  timelineProjection,
];

export function projectionByName(name: string, projections: readonly Projection[] = ALL_PROJECTIONS): Projection | undefined {
  return projections.find((p) => p.name === name);
}
