import { canonicalIp } from '@app/common/validation/ip-address';
import { isTrustedProxy, TrustedProxies } from '../../config/trusted-proxies';

/** What authentik stores when the client's address is not a valid IP (ClientIPMiddleware.default_ip). */
export const UNKNOWN_CLIENT_IP = '255.255.255.255';

/** The parts of a request that decide the client IP; a Fastify request maps onto it in one line. */
export interface ClientAddressSource {
  /** The direct peer, as the socket reports it (`request.socket.remoteAddress`). */
  socketAddress: string | undefined;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * The client IP of a request (docs/api-contract.md §6.2): the first `X-Forwarded-For` entry when the direct peer
 * is a trusted proxy, otherwise the peer itself. The result is written as an IPAddressField stores
 * it (IPv4-mapped IPv6 as IPv4, IPv6 compressed), or `255.255.255.255` when it is not an IP address.
 */
export function clientIpFor(source: ClientAddressSource, trustedProxies: TrustedProxies): string {
  const forwarded = isTrustedProxy(trustedProxies, source.socketAddress) ? firstForwardedFor(source.headers['x-forwarded-for']) : undefined;
  return canonicalIp(forwarded ?? source.socketAddress ?? '') ?? UNKNOWN_CLIENT_IP;
}

/** `clientIpFor` for a Fastify (or any Node) request. */
export function clientIpOfRequest(
  request: { socket: { remoteAddress?: string }; headers: ClientAddressSource['headers'] },
  trustedProxies: TrustedProxies,
): string {
  return clientIpFor({ socketAddress: request.socket.remoteAddress, headers: request.headers }, trustedProxies);
}

/** `a, b, c` → `a`; a header sent several times counts as one list, in order. */
function firstForwardedFor(header: string | string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  const list = Array.isArray(header) ? header.join(',') : header;
  return list.split(',')[0].trim();
}
