import { Connection, createConnection } from 'mysql2/promise';
import type { DatabaseHost } from '../../config/database-hosts';

/**
 * Resolves when `host` can serve: it answers within `timeoutMs` and, on a Galera node, is in the
 * primary component (`wsrep_ready` ON; a node outside it refuses statements). A MariaDB without
 * Galera, or with it off (`wsrep_on` OFF), counts as ready. Rejects with the reason otherwise.
 */
export async function probeHost(host: DatabaseHost, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const connecting = createConnection({ uri: host.url, connectTimeout: timeoutMs });
  const probe = connecting.then(async (connection) => {
    try {
      // A server built with Galera but not running it (wsrep_on OFF) reports wsrep_ready OFF too.
      if ((await statusValue(connection, "SHOW GLOBAL VARIABLES LIKE 'wsrep_on'"))?.toUpperCase() !== 'ON') return;
      if ((await statusValue(connection, "SHOW GLOBAL STATUS LIKE 'wsrep_ready'"))?.toUpperCase() !== 'ON') {
        throw new Error('wsrep_ready is OFF: the node is not in the primary component');
      }
    } finally {
      connection.destroy();
    }
  });
  const late = new Promise<never>((_resolve, reject) => {
    // A frozen server: give up, and close the connection should it still open.
    timer = setTimeout(() => {
      connecting.then((connection) => connection.destroy()).catch(() => undefined);
      reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
  });
  try {
    await Promise.race([probe, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** The `Value` of a one-row SHOW … LIKE statement; undefined when the server has no such setting. */
async function statusValue(connection: Connection, statement: string): Promise<string | undefined> {
  const [rows] = await connection.query(statement);
  return (rows as { Value?: string }[])[0]?.Value;
}
