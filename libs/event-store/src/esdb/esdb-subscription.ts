import type { EventEnvelope } from '@ledger/domain';
import { Observable } from 'rxjs';
import { StoreUnavailableError } from '../errors';
import { BEFORE_FIRST, matchesFilter, type EventFilter } from '../event-store.port';
import { backoffDelay, type BackoffOptions, type EsdbLogger } from './backoff';
import { EsdbAccessDenied, type EsdbGateway, type EsdbSubscription } from './esdb-client';
import { fromNumber, isLedgerRecord, serverFilter, toEnvelope } from './esdb-event-mapping';

/**
 * Reads the ledger's events after `after` that match `filter`, at most `limit`, with the
 * filter applied by the server. The vendor client can filter only subscriptions, not reads,
 * so this is a catch-up subscription that stops at the limit or when the server says it
 * has caught up.
 */
export function filteredRead(gateway: EsdbGateway, after: number, filter: EventFilter, limit: number): Promise<EventEnvelope[]> {
  return new Promise<EventEnvelope[]>((resolve, reject) => {
    const found: EventEnvelope[] = [];
    let done = false;
    let subscription: EsdbSubscription | undefined;
    const finish = (error?: unknown) => {
      if (done) return;
      done = true;
      void subscription?.stop();
      if (error) reject(error);
      else resolve(found);
    };
    subscription = gateway.subscribeAll(after === BEFORE_FIRST ? 'start' : fromNumber(after), serverFilter(filter), {
      onEvent: (record) => {
        if (done || !isLedgerRecord(record)) return;
        try {
          const event = toEnvelope(record);
          if (event.position <= after || !matchesFilter(event, filter)) return;
          found.push(event);
          if (found.length >= limit) finish();
        } catch (error) {
          finish(error);
        }
      },
      onCaughtUp: () => finish(),
      onDrop: (error) => finish(error),
    });
    if (done) void subscription.stop();
  });
}

export interface FollowOptions {
  gateway: EsdbGateway;
  after: number;
  filter: EventFilter;
  logger: EsdbLogger;
  backoff: BackoffOptions;
  /** host list, for messages */
  where: string;
  /** Called with a function that ends the observable; the store calls those on close(). */
  register(stop: () => void): () => void;
}

/**
 * A $all subscription that survives lost connections: it remembers the position of the
 * last event it delivered and, when the server goes away, subscribes again from exactly
 * there (EventStoreDB's "from" is exclusive), with backoff. An event at or before that
 * position is never delivered twice, and nothing after it is skipped because the server
 * replays everything after the position before going live again.
 */
export function followAll(options: FollowOptions): Observable<EventEnvelope> {
  const { gateway, filter, logger, where } = options;
  return new Observable<EventEnvelope>((subscriber) => {
    let last = options.after;
    let failures = 0;
    let stopped = false;
    let current: EsdbSubscription | undefined;
    let generation = 0;
    let timer: NodeJS.Timeout | undefined;

    const open = () => {
      if (stopped) return;
      const mine = ++generation;
      const live = () => !stopped && mine === generation;
      current = gateway.subscribeAll(last === BEFORE_FIRST ? 'start' : fromNumber(last), serverFilter(filter), {
        onEvent: (record) => {
          if (!live() || !isLedgerRecord(record)) return;
          let event: EventEnvelope;
          try {
            event = toEnvelope(record);
          } catch (error) {
            stop();
            subscriber.error(error);
            return;
          }
          if (event.position <= last) return; // a replay after a reconnect: already delivered
          last = event.position;
          failures = 0;
          if (matchesFilter(event, filter)) subscriber.next(event);
        },
        onCaughtUp: () => {
          if (live()) failures = 0;
        },
        onDrop: (error) => {
          if (!live()) return;
          if (error instanceof EsdbAccessDenied) {
            stop();
            subscriber.error(new StoreUnavailableError(`EventStoreDB at ${where} refused the subscription: ${error.message}`, { where }));
            return;
          }
          const delay = backoffDelay(failures++, options.backoff);
          logger.warn(
            `EventStoreDB subscription at ${where} dropped (${(error as Error).message}); resuming after position ${last} in ${delay} ms`,
          );
          // Not unref'd: a worker whose only work is this subscription must stay up while it waits.
          timer = setTimeout(open, delay);
        },
      });
    };

    const stop = () => {
      if (stopped) return;
      stopped = true;
      if (timer) clearTimeout(timer);
      void current?.stop();
      unregister();
    };
    const unregister = options.register(() => {
      stop();
      subscriber.complete();
    });
    open();
    return stop;
  });
}
