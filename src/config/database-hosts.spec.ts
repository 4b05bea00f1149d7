import { parseMysqlHosts } from './database-hosts';

describe('parseMysqlHosts', () => {
  it('reads one host, with 3306 as the default port', () => {
    expect(parseMysqlHosts('mysql://app:secret@db.example:3307/eventlog')).toEqual([
      { host: 'db.example', port: 3307, url: 'mysql://app:secret@db.example:3307/eventlog' },
    ]);
    expect(parseMysqlHosts('mariadb://db/eventlog')).toEqual([{ host: 'db', port: 3306, url: 'mysql://db:3306/eventlog' }]);
  });

  it('reads a comma-separated list in order, each host with the same user, password, database and options', () => {
    expect(parseMysqlHosts('mysql://app:p%40ss@h1:3306,h2,[::1]:3308/eventlog?ssl=true')).toEqual([
      { host: 'h1', port: 3306, url: 'mysql://app:p%40ss@h1:3306/eventlog?ssl=true' },
      { host: 'h2', port: 3306, url: 'mysql://app:p%40ss@h2:3306/eventlog?ssl=true' },
      { host: '::1', port: 3308, url: 'mysql://app:p%40ss@[::1]:3308/eventlog?ssl=true' },
    ]);
  });

  it.each([
    ['mysql://app@h1,,h3/eventlog', 'host 2 of 3 is empty (two commas, or one at an end)'],
    ['mysql://app@h1,h2,/eventlog', 'host 3 of 3 is empty (two commas, or one at an end)'],
    ['mysql://app@h1:3306,h2:99999/eventlog', 'host 2 of 2, "h2:99999", has no valid port (expected 1 to 65535)'],
    ['mysql://app@h1:/eventlog', 'the host, "h1:", has no valid port (expected 1 to 65535)'],
    ['mysql://app@h1, h2/eventlog', 'host 2 of 2, " h2", is not a host name or [IPv6 address] with an optional :port'],
    ['mysql://app@h1:3306,H1/eventlog', 'the host H1:3306 is listed twice'],
    ['mysql://app@h1,h2', 'no database name after the host list'],
    ['mysql://app@h1,h2/', 'no database name after the host list'],
    ['mysql://app@/eventlog', 'no host'],
  ])('refuses %s: %s', (url, message) => {
    expect(() => parseMysqlHosts(url)).toThrow(message);
  });
});
