/** One MariaDB server of DATABASE_URL's host list. */
export interface DatabaseHost {
  host: string;
  port: number;
  /** DATABASE_URL for this host alone: same user, password, database and options. */
  url: string;
}

const DEFAULT_PORT = 3306;

/**
 * `mysql://user:pass@host1:3306,host2,[::1]:3307/eventlog?…`: the hosts in the order given, each
 * as a one-host URL (as libpq and MariaDB Connector/J read such lists). The user information ends
 * at the last `@` before the path; a password holding `/`, `?`, `#` or `,` must be percent-encoded,
 * as in any URL. Throws an Error whose message says what is wrong (without the password).
 */
export function parseMysqlHosts(raw: string): DatabaseHost[] {
  const match = /^(mysql|mariadb):\/\/(?:([^/?#]*)@)?([^/?#@]*)(.*)$/i.exec(raw);
  if (!match) throw new Error('expected mysql://user:pass@host:port/database');
  const [, , userInfo, hostList, rest] = match;
  if (!/^\/[^/?#]/.test(rest)) throw new Error('no database name after the host list');
  const entries = hostList.split(',');
  const hosts = entries.map((entry, index) => parseHost(entry, index, entries.length));
  const seen = new Set<string>();
  for (const { host, port } of hosts) {
    const key = `${host.toLowerCase()}:${port}`;
    if (seen.has(key)) throw new Error(`the host ${host}:${port} is listed twice`);
    seen.add(key);
  }
  return hosts.map(({ host, port }) => {
    const authority = `${userInfo === undefined ? '' : `${userInfo}@`}${host.includes(':') ? `[${host}]` : host}:${port}`;
    const url = new URL(`mysql://${authority}${rest}`);
    return { host, port, url: url.toString() };
  });
}

function parseHost(entry: string, index: number, count: number): { host: string; port: number } {
  const which = count > 1 ? `host ${index + 1} of ${count}` : 'the host';
  if (entry === '') throw new Error(count > 1 ? `${which} is empty (two commas, or one at an end)` : 'no host');
  const parts = /^(?:\[([0-9a-f:.]+)\]|([a-z0-9._-]+))(?::(\d*))?$/i.exec(entry);
  if (!parts) throw new Error(`${which}, "${entry}", is not a host name or [IPv6 address] with an optional :port`);
  const [, ipv6, name, portText] = parts;
  const port = portText === undefined ? DEFAULT_PORT : Number(portText);
  if (portText === '' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${which}, "${entry}", has no valid port (expected 1 to 65535)`);
  }
  return { host: ipv6 ?? name, port };
}
