export * from './event-store.port';
export * from './errors';
export * from './subscription';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite.event-store';
export { openSqlite } from './sqlite/sqlite-connection';
