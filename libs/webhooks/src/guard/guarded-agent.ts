import type { LookupFunction, Socket } from 'node:net';
import { Agent, buildConnector } from 'undici';
import type { AddressPolicy } from './address-policy';
import type { Resolver } from './url-guard';

/** Raised inside a connection attempt; the sender reports it as the attempt's error. */
export class AddressRefusedError extends Error {
  readonly code = 'WEBHOOK_ADDRESS_REFUSED';
  constructor(reason: string) {
    super(`connection refused by the URL guard: ${reason}`);
    this.name = 'AddressRefusedError';
  }
}

export interface GuardedAgentOptions {
  policy: AddressPolicy;
  resolver: Resolver;
  connectTimeoutMs: number;
}

/**
 * An undici Agent that can only reach addresses the policy admits, whatever the URL said
 * when the subscription was made. Names are resolved here, per connection, and refused
 * addresses dropped before connecting (so DNS rebinding gets nothing); then the socket's
 * actual remote address and port are checked before a byte of the request is written,
 * which also covers IP literals (Node connects to those without a lookup).
 */
export function guardedAgent(options: GuardedAgentOptions): Agent {
  const { policy, resolver } = options;
  const lookup = ((hostname: string, lookupOptions: { all?: boolean; family?: number }, callback: (...args: unknown[]) => void) => {
    resolver(hostname).then(
      (all) => {
        const family = lookupOptions.family === 4 || lookupOptions.family === 6 ? lookupOptions.family : 0;
        const usable = all.filter((a) => (family === 0 || a.family === family) && policy.admitsAddress(a.address));
        if (usable.length === 0) {
          const shown = all.map((a) => a.address).join(', ') || 'nothing';
          callback(new AddressRefusedError(`${hostname} resolves to ${shown}`));
        } else if (lookupOptions.all) {
          callback(null, usable);
        } else {
          callback(null, usable[0].address, usable[0].family);
        }
      },
      (error) => callback(error),
    );
  }) as unknown as LookupFunction;
  const connector = buildConnector({ lookup, timeout: options.connectTimeoutMs });
  const connect: buildConnector.connector = (connectOptions, callback) => {
    const port = Number(connectOptions.port) || (connectOptions.protocol === 'https:' ? 443 : 80);
    return connector(connectOptions, (error, socket) => {
      if (error || !socket) return callback(error ?? new Error('no socket'), null);
      const remote = (socket as Socket).remoteAddress;
      const verdict = remote ? policy.check(remote, (socket as Socket).remotePort ?? port) : { allowed: false as const, reason: 'the socket has no remote address' };
      if (!verdict.allowed) {
        socket.destroy();
        return callback(new AddressRefusedError(verdict.reason), null);
      }
      callback(null, socket);
    });
  };
  return new Agent({
    connect,
    // Each request carries its own overall deadline (AbortSignal); these are backstops.
    headersTimeout: 0,
    bodyTimeout: 0,
    keepAliveTimeout: 4_000,
    keepAliveMaxTimeout: 30_000,
  });
}
