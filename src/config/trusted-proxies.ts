import ipaddr from 'ipaddr.js';

/** Addresses and CIDR ranges whose `X-Forwarded-For` is believed (docs/api-contract.md §6.2). */
export interface TrustedProxies {
  readonly ranges: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
  readonly text: string;
}

/** `"10.0.0.0/8, 127.0.0.1, ::1"`; throws naming the first bad entry. */
export function parseTrustedProxies(text: string): TrustedProxies {
  const ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];
  for (const entry of text.split(/[,\s]+/).filter(Boolean)) {
    try {
      if (entry.includes('/')) {
        ranges.push(ipaddr.parseCIDR(entry));
      } else {
        const address = ipaddr.parse(entry);
        ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      }
    } catch {
      throw new Error(`"${entry}" is not an IP address or CIDR range`);
    }
  }
  return { ranges, text };
}

/** Whether `address` (as the socket reports it, IPv4-mapped IPv6 included) is trusted. */
export function isTrustedProxy(proxies: TrustedProxies, address: string | undefined): boolean {
  if (!address || proxies.ranges.length === 0 || !ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  return proxies.ranges.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits));
}
