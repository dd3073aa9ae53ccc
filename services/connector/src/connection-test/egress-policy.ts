// Which addresses a connection test may reach. By default only public unicast
// addresses: loopback, link-local (169.254.0.0/16 with the cloud metadata address,
// fe80::/10), private (10/8, 172.16/12, 192.168/16, fc00::/7), unspecified,
// multicast, carrier-grade NAT and the other special ranges are refused, unless
// CONNECTOR_EGRESS_ALLOW names the host or a CIDR holding the address. The
// service's own ports on this machine are refused even when allowed.
//
// The check runs on the resolved address that is actually used: drivers connect
// to the IP the policy returned, and HTTP checks again inside undici's lookup, so
// a DNS answer that changes between check and connect (rebinding) cannot bypass it.
import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import ipaddr from 'ipaddr.js';
import { ConnectionTestError, errorCodeOf, networkFailure } from './errors.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface EgressAllowList {
  /** Exact host names, lower case, without a trailing dot. */
  readonly hosts: ReadonlySet<string>;
  /** `*.example.com` entries, kept as `.example.com`. */
  readonly hostSuffixes: readonly string[];
  readonly cidrs: readonly [Address, number][];
}

const HOST_NAME =
  /^(?:\*\.)?(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** Parses `host, *.suffix, 10.0.0.0/8, 127.0.0.1, ::1/128`; a string is the reason an entry is invalid. */
export function parseEgressAllowList(text: string): EgressAllowList | string {
  const hosts = new Set<string>();
  const hostSuffixes: string[] = [];
  const cidrs: [Address, number][] = [];
  for (const [index, raw] of text.split(',').entries()) {
    const entry = raw.trim();
    if (!entry) continue;
    const where = `entry ${index + 1} ('${entry}')`;
    if (entry.includes('/')) {
      if (!ipaddr.isValidCIDR(entry) || isIP(entry.split('/')[0] ?? '') === 0)
        return `${where} is not a valid CIDR, e.g. 10.0.0.0/8 or fd00::/8`;
      cidrs.push(ipaddr.parseCIDR(entry));
    } else if (isIP(entry.replace(/^\[|\]$/g, '')) !== 0) {
      const address = ipaddr.parse(entry.replace(/^\[|\]$/g, ''));
      cidrs.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (HOST_NAME.test(entry) && entry.length <= 253 && !/^[0-9.]+$/.test(entry)) {
      const name = normalizeHost(entry);
      if (name.startsWith('*.')) hostSuffixes.push(name.slice(1));
      else hosts.add(name);
    } else {
      return `${where} is neither a host name, an IP address nor a CIDR`;
    }
  }
  return { hosts, hostSuffixes, cidrs };
}

function normalizeHost(host: string): string {
  return host
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^\[|\]$/g, '');
}

export interface EgressPolicy {
  /** Why this address may not be reached for this host and port, or undefined when it may. */
  refusal(host: string, address: string, port: number): string | undefined;
  /** Resolves the host and checks every address; returns the one to connect to first, and all of them. */
  resolve(host: string, port: number): Promise<{ address: string; family: 4 | 6; all: LookupAddress[] }>;
  /** A dns.lookup replacement for a socket to host:port that applies the policy at connect time. */
  lookupFor(port: number): LookupFunction;
}

export type LookupFunction = (
  hostname: string,
  options: LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

export function createEgressPolicy(allow: EgressAllowList, ownPorts: readonly number[]): EgressPolicy {
  const localAddresses = new Set(
    Object.values(networkInterfaces())
      .flatMap((entries) => entries ?? [])
      .map((entry) => ipaddr.process(entry.address).toNormalizedString()),
  );
  const hostAllowed = (host: string) => {
    const name = normalizeHost(host);
    return allow.hosts.has(name) || allow.hostSuffixes.some((suffix) => name.endsWith(suffix));
  };

  const policy: EgressPolicy = {
    refusal(host, address, port) {
      let ip: Address;
      try {
        ip = ipaddr.process(address);
      } catch {
        return `'${address}' is not an IP address`;
      }
      const range = ip.range();
      const onThisMachine =
        range === 'loopback' || range === 'unspecified' || localAddresses.has(ip.toNormalizedString());
      if (onThisMachine && ownPorts.includes(port)) return `${ip.toString()}:${port} is this service's own port`;
      if (hostAllowed(host)) return undefined;
      if (allow.cidrs.some(([network, bits]) => network.kind() === ip.kind() && ip.match(network, bits)))
        return undefined;
      if (range === 'unicast' && !onThisMachine) return undefined;
      return (
        `${ip.toString()} is a ${onThisMachine && range === 'unicast' ? 'local' : range} address, ` +
        `not allowed by CONNECTOR_EGRESS_ALLOW`
      );
    },

    async resolve(host, port) {
      const name = host.replace(/^\[|\]$/g, '');
      let addresses: LookupAddress[];
      if (isIP(name) !== 0) addresses = [{ address: name, family: isIP(name) }];
      else {
        try {
          addresses = await dnsLookup(name, { all: true, verbatim: true });
        } catch (error) {
          throw (
            networkFailure(errorCodeOf(error) ?? 'ENOTFOUND', name) ??
            new ConnectionTestError('unreachable', `${name}: the host name does not resolve`)
          );
        }
      }
      // Every answer must pass: a name resolving to one public and one private address is refused.
      for (const { address } of addresses) {
        const reason = policy.refusal(name, address, port);
        if (reason)
          throw new ConnectionTestError('blocked_by_policy', `${name}:${port} refused by the egress policy: ${reason}`);
      }
      const first = addresses[0];
      if (!first) throw new ConnectionTestError('unreachable', `${name}: the host name does not resolve`);
      return { address: first.address, family: first.family === 6 ? 6 : 4, all: addresses };
    },

    lookupFor(port) {
      return (hostname, options, callback) => {
        policy.resolve(hostname, port).then(
          ({ address, family, all }) => {
            if (options.all) callback(null, all);
            else callback(null, address, family);
          },
          (error: unknown) => {
            callback(error as NodeJS.ErrnoException, '');
          },
        );
      };
    },
  };
  return policy;
}
