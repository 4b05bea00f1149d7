import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

// Django's clean_ipv6_address refuses longer input before parsing it.
const MAX_IPV6_LENGTH = 39;
// `::1.2.3.4` exactly: ipaddr.js reads this deprecated form as mapped, Python as `::102:304`.
const IPV4_COMPATIBLE = /^::\d+\.\d+\.\d+\.\d+(%.*)?$/;

/**
 * The value DRF's IPAddressField stores, or null when the text is not an address: IPv4 trimmed
 * (`01.2.3.4` refused, as Python does), IPv6 untrimmed and written as Python's `str(IPv6Address)`
 * (`2001:DB8:0::1` → `2001:db8::1`), `::ffff:1.2.3.4` unpacked to `1.2.3.4`.
 */
export function canonicalIp(text: string): string | null {
  if (!text.includes(':')) {
    const trimmed = text.trim();
    return isIP(trimmed) === 4 ? trimmed : null;
  }
  if (text.length > MAX_IPV6_LENGTH || isIP(text) !== 6) return null;
  let address: ipaddr.IPv6;
  try {
    address = ipaddr.IPv6.parse(text);
  } catch {
    return null; // Node and ipaddr.js disagree on some zone ids; refusing is the safe side
  }
  if (IPV4_COMPATIBLE.test(text)) address.parts[5] = 0;
  return address.isIPv4MappedAddress() ? address.toIPv4Address().toString() : address.toString();
}
