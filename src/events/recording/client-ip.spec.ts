import { parseTrustedProxies } from '../../config/trusted-proxies';
import { clientIpFor, clientIpOfRequest, UNKNOWN_CLIENT_IP } from './client-ip';

const NONE = parseTrustedProxies('');
const PROXIES = parseTrustedProxies('10.0.0.0/8, 192.168.1.5, fd00::/8, ::1');

function from(socketAddress: string | undefined, forwardedFor?: string | string[]) {
  return { socketAddress, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } };
}

describe('clientIpFor', () => {
  it('uses the socket address when no proxy is trusted, ignoring X-Forwarded-For', () => {
    expect(clientIpFor(from('203.0.113.7', '198.51.100.1'), NONE)).toBe('203.0.113.7');
  });

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', () => {
    expect(clientIpFor(from('203.0.113.7', '198.51.100.1'), PROXIES)).toBe('203.0.113.7');
  });

  it.each([
    ['an address in an IPv4 CIDR', '10.1.2.3'],
    ['a single IPv4 address', '192.168.1.5'],
    ['an address in an IPv6 CIDR', 'fd00::17'],
    ['a single IPv6 address', '::1'],
    ['an IPv4-mapped IPv6 peer inside an IPv4 CIDR', '::ffff:10.9.8.7'],
  ])('takes the first X-Forwarded-For entry from %s', (_case, peer) => {
    expect(clientIpFor(from(peer, '198.51.100.1, 10.0.0.1'), PROXIES)).toBe('198.51.100.1');
  });

  it('does not trust a neighbour of a single trusted address', () => {
    expect(clientIpFor(from('192.168.1.6', '198.51.100.1'), PROXIES)).toBe('192.168.1.6');
  });

  it('reads a header sent several times as one list', () => {
    expect(clientIpFor(from('10.0.0.2', ['2001:db8::5, 10.0.0.1', '10.0.0.3']), PROXIES)).toBe('2001:db8::5');
  });

  it('falls back to the socket address when a trusted proxy sends no X-Forwarded-For', () => {
    expect(clientIpFor(from('10.0.0.2'), PROXIES)).toBe('10.0.0.2');
  });

  it.each(['unknown', '', '   ', '198.51.100.1:8080', '[2001:db8::1]', '127.1', '01.2.3.4', '300.1.1.1', '2001:db8::g'])(
    'writes a forwarded value %p that is not an IP address as 255.255.255.255',
    (value) => {
      expect(clientIpFor(from('10.0.0.2', value), PROXIES)).toBe(UNKNOWN_CLIENT_IP);
    },
  );

  it('writes a missing socket address as 255.255.255.255', () => {
    expect(clientIpFor(from(undefined, '198.51.100.1'), PROXIES)).toBe(UNKNOWN_CLIENT_IP);
  });

  it('writes IPv6 compressed in lowercase', () => {
    expect(clientIpFor(from('2001:DB8:0:0:0:0:0:1'), NONE)).toBe('2001:db8::1');
    expect(clientIpFor(from('10.0.0.2', ' 2001:db8:0::7 '), PROXIES)).toBe('2001:db8::7');
  });

  it('writes an IPv4-mapped IPv6 client as IPv4', () => {
    expect(clientIpFor(from('::ffff:203.0.113.9'), NONE)).toBe('203.0.113.9');
    expect(clientIpFor(from('10.0.0.2', '::ffff:198.51.100.3'), PROXIES)).toBe('198.51.100.3');
  });

  it('takes the socket address from a Fastify-like request', () => {
    const request = { socket: { remoteAddress: '10.0.0.2' }, headers: { 'x-forwarded-for': '198.51.100.1' } };
    expect(clientIpOfRequest(request, PROXIES)).toBe('198.51.100.1');
    expect(clientIpOfRequest(request, NONE)).toBe('10.0.0.2');
  });
});
