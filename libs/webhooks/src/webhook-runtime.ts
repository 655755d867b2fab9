import type { EventStore } from '@ledger/event-store';
import type { Clock, ReadModelDb } from '@ledger/platform';
import type { Recorder } from '@ledger/recorder';
import { WebhookAdmin } from './admin/webhook-admin';
import type { WebhookSettings } from './config/webhook-settings';
import { HttpSender } from './delivery/http-sender';
import { leaseOwnerId, WebhookDispatcher } from './dispatcher/webhook-dispatcher';
import { AddressPolicy } from './guard/address-policy';
import { guardedAgent } from './guard/guarded-agent';
import { systemResolver, UrlGuard, type Resolver } from './guard/url-guard';
import { SubscriptionRegistry } from './registry/subscription-registry';
import { loadSecretBox } from './secrets/secret-box';
import { SecretStore } from './secrets/secret-store';
import { DeliveryLog } from './store/delivery-log';
import { LeaseTable } from './store/lease-table';
import { Outbox } from './store/outbox';
import { migrateWebhookTables } from './store/webhook-schema';

export interface WebhookRuntimeOptions {
  store: EventStore;
  readModel: ReadModelDb;
  clock: Clock;
  recorder: Recorder;
  /** Where the secret key file lives (unless settings.secretKey is given). */
  dataDir: string;
  settings: WebhookSettings;
  /** DNS for the URL guard (tests inject one); getaddrinfo by default. */
  resolver?: Resolver;
  /** This dispatcher's name in the lease table. */
  owner?: string;
  logError?(message: string, error: unknown): void;
}

/** Every part of the webhook machinery, wired; the Nest module, the worker and tests use this. */
export interface WebhookRuntime {
  readonly settings: WebhookSettings;
  readonly guard: UrlGuard;
  readonly secrets: SecretStore;
  readonly outbox: Outbox;
  readonly log: DeliveryLog;
  readonly leases: LeaseTable;
  readonly registry: SubscriptionRegistry;
  readonly admin: WebhookAdmin;
  readonly dispatcher: WebhookDispatcher;
  /** Creates the tables (idempotent). */
  migrate(): Promise<void>;
  /** Stops the dispatcher and closes its connections. */
  close(): Promise<void>;
}

export function createWebhookRuntime(options: WebhookRuntimeOptions): WebhookRuntime {
  const { store, readModel, clock, settings } = options;
  const resolver = options.resolver ?? systemResolver;
  const policy = new AddressPolicy(settings.allow);
  const guard = new UrlGuard(policy, resolver);
  const agent = guardedAgent({ policy, resolver, connectTimeoutMs: settings.timeoutMs });
  const sender = new HttpSender(agent, guard, { timeoutMs: settings.timeoutMs, capBytes: settings.responseCapBytes, now: () => clock.now().getTime() });
  const secrets = new SecretStore(readModel, loadSecretBox(options.dataDir, settings.secretKey));
  const outbox = new Outbox(readModel);
  const log = new DeliveryLog(readModel);
  const leases = new LeaseTable(readModel, options.owner ?? leaseOwnerId());
  const registry = new SubscriptionRegistry(readModel, store, outbox, secrets, clock);
  let dispatcher: WebhookDispatcher | null = null;
  const admin = new WebhookAdmin({
    store,
    recorder: options.recorder,
    registry,
    secrets,
    outbox,
    log,
    guard,
    clock,
    settings,
    notify: (id) => {
      if (dispatcher?.isRunning) {
        dispatcher.changed(id);
        dispatcher.wake(id);
      }
    },
  });
  dispatcher = new WebhookDispatcher({
    store,
    outbox,
    log,
    secrets,
    subscriptions: registry.subscriptions,
    sender,
    clock,
    settings,
    registry,
    leases,
    disable: (id, reason) => admin.disable(id, reason),
    logError: options.logError,
  });
  const running = dispatcher;
  let closing: Promise<void> | null = null;
  return {
    settings,
    guard,
    secrets,
    outbox,
    log,
    leases,
    registry,
    admin,
    dispatcher: running,
    migrate: () => migrateWebhookTables(readModel),
    close: () =>
      (closing ??= (async () => {
        await running.stop();
        await agent.close();
      })()),
  };
}
