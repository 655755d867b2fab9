import ipaddr from 'ipaddr.js';

/** One operator exception: an address or CIDR block, on one port or on any. */
export interface AllowRule {
  readonly range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  readonly port: number | null;
  readonly text: string;
}

export type Verdict = { allowed: true } | { allowed: false; reason: string };

/**
 * Which addresses a webhook may connect to. Only globally routed unicast is open by
 * default: ipaddr.js names every special-purpose block (loopback, private, link-local
 * with the 169.254.169.254 metadata service, CGNAT, multicast, unique-local,
 * 6to4/Teredo/NAT64 wrappers that could smuggle a private IPv4 …) and anything it does
 * not call `unicast` is refused. IPv4-mapped IPv6 is judged as the IPv4 it carries.
 */
export class AddressPolicy {
  constructor(readonly allow: readonly AllowRule[] = []) {}

  check(address: string, port: number): Verdict {
    let ip: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      ip = ipaddr.process(stripBrackets(address));
    } catch {
      return { allowed: false, reason: `"${address}" is not an IP address` };
    }
    if (this.allow.some((rule) => allows(rule, ip, port))) return { allowed: true };
    const range = ip.range();
    if (range === 'unicast') return { allowed: true };
    return { allowed: false, reason: `${ip.toString()} is a ${describe(range)} address` };
  }

  /**
   * For DNS answers, before the port is known to the resolver: open if some port of it
   * could be. The socket's address and port are checked exactly once connected.
   */
  admitsAddress(address: string): boolean {
    let ip: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      ip = ipaddr.process(stripBrackets(address));
    } catch {
      return false;
    }
    return ip.range() === 'unicast' || this.allow.some((rule) => allows({ ...rule, port: null }, ip, 0));
  }
}

function allows(rule: AllowRule, ip: ipaddr.IPv4 | ipaddr.IPv6, port: number): boolean {
  if (rule.port !== null && rule.port !== port) return false;
  const [net, bits] = rule.range;
  return net.kind() === ip.kind() && ip.match(net, bits);
}

function describe(range: string): string {
  const names: Record<string, string> = {
    loopback: 'loopback',
    private: 'private',
    linkLocal: 'link-local (or cloud metadata)',
    carrierGradeNat: 'carrier-grade NAT',
    multicast: 'multicast',
    unspecified: 'unspecified',
    broadcast: 'broadcast',
    uniqueLocal: 'unique-local',
    reserved: 'reserved',
  };
  return names[range] ?? `special-purpose (${range})`;
}

export function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * `LEDGER_WEBHOOK_ALLOW=127.0.0.1:8080,[::1]:9000,10.0.0.0/8,192.168.1.5` — addresses or
 * CIDR blocks (not host names: the rule is about the address actually connected to),
 * each with an optional port.
 */
export function parseAllowList(text: string | undefined): AllowRule[] {
  if (!text) return [];
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseAllowRule);
}

function parseAllowRule(text: string): AllowRule {
  let address = text;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) [, address, portText] = bracketed;
  else if ((text.match(/:/g) ?? []).length === 1) [address, portText] = text.split(':');
  // (a bare IPv6 address has colons of its own: only a bracketed one carries a port)
  const port = portText === undefined ? null : Number(portText);
  if (port !== null && (!/^\d+$/.test(portText!) || port < 1 || port > 65535)) {
    throw new Error(`LEDGER_WEBHOOK_ALLOW: "${text}" has a bad port`);
  }
  let range: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    if (address.includes('/')) range = ipaddr.parseCIDR(address);
    else {
      const ip = ipaddr.parse(address);
      range = [ip, ip.kind() === 'ipv4' ? 32 : 128];
    }
  } catch {
    throw new Error(`LEDGER_WEBHOOK_ALLOW: "${text}" is not an IP address or CIDR block, with an optional port (host names are not accepted)`);
  }
  const [net, bits] = range;
  // ::ffff:10.0.0.1 is 10.0.0.1: compare it the way AddressPolicy.check sees addresses.
  if (net.kind() === 'ipv6' && (net as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    range = [(net as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return { range, port, text };
}
