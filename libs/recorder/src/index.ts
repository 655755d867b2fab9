export * from './record-input';
export * from './recorder';
export * from './importer';
