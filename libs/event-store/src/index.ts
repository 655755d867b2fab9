export * from './event-store.port';
export * from './errors';
export * from './subscription';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite.event-store';
export { openSqlite } from './sqlite/sqlite-connection';
export { createEventStore, type CreateEventStoreOptions } from './create-event-store';
// The EventStoreDB adapter itself is loaded on demand (createEventStore) or from './esdb': only its types here.
export type { EsdbEventStore, EsdbEventStoreOptions, ConnectEsdbOptions, EsdbLogger } from './esdb';
