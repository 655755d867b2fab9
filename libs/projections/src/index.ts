// The projection model
export * from './core/projection';
export * from './core/table-spec';
export * from './core/facts';
export * from './core/stream-facts';
export * from './core/event-facts';
export * from './definitions/all';
export { jurisdictionsProjection } from './definitions/jurisdictions.projection';
export { officialsProjection } from './definitions/officials.projection';
export { organizationsProjection } from './definitions/organizations.projection';
export { meetingsProjection } from './definitions/meetings.projection';
export { boycottsProjection } from './definitions/boycotts.projection';
export { statementsProjection } from './definitions/statements.projection';
export { statsProjection, type TypeCount } from './definitions/stats.projection';
export { timelineProjection, refsOf } from './definitions/timeline.projection';
// Views (pure derivations)
export * from './views/jurisdiction.view';
export * from './views/official.view';
export * from './views/organization.view';
export * from './views/meeting.view';
export * from './views/statement.view';
export * from './views/boycott.view';
export * from './views/stats.view';
// In-memory folds (point-in-time views)
export * from './memory/fold';
export * from './memory/views';
// Storage and running
export * from './store/checkpoints';
export { ensureCheckpointTable, lacksIndexes, CHECKPOINTS_TABLE } from './store/schema';
export * from './runner/projection-runner';
export * from './runner/lease';
// Queries
export * from './queries/list-params';
export * from './queries/cursor';
export * from './queries/projection-queries';
export * from './queries/position-tracker';
export * from './queries/timeline.query';
// Deadlines
export * from './deadlines/deadline-watcher';
export * from './memory/point-in-time';
export * from './runner/projector';
export * from './metrics/projection-lag';
export * from './metrics/projection-metrics';
export * from './nest/projections.module';
export * from './runner/rebuild';
export * from './queries/view-cache';
