import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { AddressPolicy, stripBrackets } from './address-policy';
import { UrlRefusedError } from './url-refused.error';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Host name → addresses. Tests inject one to play DNS tricks; production uses getaddrinfo. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export interface Target {
  url: URL;
  /** Without IPv6 brackets. */
  host: string;
  port: number;
  /** The host is an IP address (in whatever spelling the URL used; the URL parser normalises it). */
  literal: boolean;
}

export const MAX_URL_LENGTH = 2000;
const RESOLVE_TIMEOUT_MS = 5000;

/**
 * Refuses webhook targets that would let a subscriber reach inside the network. The URL
 * is parsed with the WHATWG parser (the one undici uses to connect), which already turns
 * every IPv4 spelling — 127.1, 0177.0.0.1, 0x7f.1, 2130706433 — into dotted quads, and
 * ipaddr.js judges the result. This runs when a subscription is created or changed; at
 * connect time GuardedAgent checks the address actually connected to.
 */
export class UrlGuard {
  constructor(
    readonly policy: AddressPolicy,
    readonly resolver: Resolver = systemResolver,
  ) {}

  /** The checks that need no network: syntax, scheme, credentials, literal addresses. */
  parse(raw: string): Target {
    if (typeof raw !== 'string' || raw.length === 0) throw new UrlRefusedError('url must be an absolute http(s) URL');
    if (raw.length > MAX_URL_LENGTH) throw new UrlRefusedError(`url must be at most ${MAX_URL_LENGTH} characters`);
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new UrlRefusedError('url is not a valid absolute URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UrlRefusedError(`the ${url.protocol.replace(/:$/, '')} scheme is refused; use http or https`);
    }
    if (url.username || url.password) {
      // The URL is recorded in the ledger's audit trail: no secrets in it.
      throw new UrlRefusedError('credentials in the URL are refused (the URL is recorded in the audit trail)');
    }
    const host = stripBrackets(url.hostname);
    if (!host) throw new UrlRefusedError('url has no host');
    const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
    const literal = isIP(host) !== 0;
    if (literal) {
      const verdict = this.policy.check(host, port);
      if (!verdict.allowed) throw new UrlRefusedError(verdict.reason);
    }
    return { url, host, port, literal };
  }

  /** parse(), then resolve a host name and refuse it when any address it has is refused. */
  async check(raw: string): Promise<Target> {
    const target = this.parse(raw);
    if (target.literal) return target;
    let addresses: ResolvedAddress[];
    try {
      addresses = await withTimeout(this.resolver(target.host), RESOLVE_TIMEOUT_MS);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new UrlRefusedError(`the host name ${target.host} does not resolve (${code})`);
    }
    if (addresses.length === 0) throw new UrlRefusedError(`the host name ${target.host} does not resolve`);
    for (const { address } of addresses) {
      const verdict = this.policy.check(address, target.port);
      if (!verdict.allowed) throw new UrlRefusedError(`${target.host} resolves to ${verdict.reason.replace(/^(\S+) is/, '$1, which is')}`);
    }
    return target;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(Object.assign(new Error('timed out'), { code: 'ETIMEOUT' })), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
