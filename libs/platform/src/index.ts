export * from './config';
export * from './clock';
export * from './read-model-db';
export * from './tokens';
export * from './process-metrics';
