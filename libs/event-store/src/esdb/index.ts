export { EsdbEventStore, type EsdbEventStoreOptions } from './esdb.event-store';
export { connectEsdb, type ConnectEsdbOptions } from './connect-esdb';
export { describeEsdb } from './describe-esdb';
export { EsdbGateway, type EsdbRecord, type EsdbProposedEvent } from './esdb-client';
export type { EsdbLogger } from './backoff';
export { CLAIM_STREAM_PREFIX, claimStream } from './event-id-index';
