import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import type { AppConfig } from '../config/app-config';
import { redactPassword } from '../config/redact-url';
import { errorCode, StartupFailure } from '../lifecycle/startup-failure';
import { probeHost } from './failover/probe-host';

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'PROTOCOL_CONNECTION_LOST',
]);

/**
 * Opens the configured database once, before migrations or the admin token, so that a database
 * the service cannot use stops it with one clear message (a StartupFailure) instead of a stack
 * after half a start. Writes nothing, except creating DATA_DIR for the default SQLite file.
 */
export async function checkDatabase(config: AppConfig): Promise<void> {
  if (config.database.type === 'mysql') return checkMysql(config);
  if (config.database.url !== ':memory:') checkSqlite(config);
}

async function checkMysql(config: AppConfig): Promise<void> {
  if (config.database.hosts.length > 1) return checkMysqlHosts(config);
  try {
    const connection = await createConnection({ uri: config.database.url, connectTimeout: config.database.timeoutMs });
    try {
      await connection.query('SELECT 1');
    } finally {
      connection.destroy();
    }
  } catch (error) {
    throw mysqlFailure(error, config.database.url);
  }
}

/**
 * Several hosts: at least one must be usable (answering, and in Galera's primary component);
 * the others may be down now and join later. When none is, the failure names every host tried.
 */
async function checkMysqlHosts(config: AppConfig): Promise<void> {
  const { hosts, timeoutMs } = config.database;
  const tried: string[] = [];
  for (const host of hosts) {
    try {
      await probeHost(host, timeoutMs);
      return;
    } catch (error) {
      const [why] = mysqlFailure(error, host.url).lines;
      // Without a code (wsrep_ready OFF) only the error's own words say what is wrong.
      const detail = errorCode(error) === undefined ? ` ${(error as Error).message}` : '';
      tried.push(`${host.host}:${host.port}: ${why.replace(/^DATABASE_URL: /, '')}${detail}`);
    }
  }
  throw new StartupFailure([
    `DATABASE_URL: none of its ${hosts.length} hosts is usable.`,
    ...tried,
    'At least one of them must answer (and, on Galera, be in the primary component: wsrep_ready ON).',
  ]);
}

/** What an operator should know about a failed MariaDB/MySQL connection, naming DATABASE_URL. */
export function mysqlFailure(error: unknown, url: string): StartupFailure {
  const { hostname, port, username, pathname } = new URL(url);
  const server = `${hostname}:${port || 3306}`;
  const shown = `DATABASE_URL=${redactPassword(url)}`;
  const said = `The server said: ${(error as Error).message}`;
  const code = errorCode(error) ?? '';
  if (UNREACHABLE.has(code)) {
    return new StartupFailure([
      `DATABASE_URL: cannot reach the database server at ${server} (${code}).`,
      shown,
      'Check that MariaDB/MySQL runs there and that the host and port are right.',
    ]);
  }
  // MariaDB answers an unknown user with ER_ACCESS_DENIED_NO_PASSWORD_ERROR (1698), a bad password with 1045.
  if (code === 'ER_ACCESS_DENIED_ERROR' || code === 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR') {
    return new StartupFailure([
      `DATABASE_URL: the database server at ${server} refused user "${decodeURIComponent(username)}": wrong user or password.`,
      shown,
      said,
    ]);
  }
  if (code === 'ER_DBACCESS_DENIED_ERROR') {
    return new StartupFailure([
      `DATABASE_URL: user "${decodeURIComponent(username)}" may not use this database on ${server}.`,
      shown,
      said,
    ]);
  }
  if (code === 'ER_BAD_DB_ERROR') {
    const name = decodeURIComponent(pathname.slice(1));
    return new StartupFailure([
      `DATABASE_URL: database "${name}" does not exist on ${server}.`,
      shown,
      `Create it: CREATE DATABASE \`${name.replaceAll('`', '``')}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
    ]);
  }
  return new StartupFailure([`DATABASE_URL: cannot use the database at ${server} (${code || 'error'}).`, shown, said]);
}

/**
 * The SQLite file's folder must exist: a typo in DATABASE_URL should not quietly start an empty
 * database somewhere new. Only DATA_DIR, the service's own folder, is created.
 */
function checkSqlite(config: AppConfig): void {
  const file = resolve(config.database.url);
  const folder = dirname(file);
  const shown = `DATABASE_URL=sqlite:${config.database.url}`;
  if (!existsSync(folder)) {
    if (folder !== resolve(config.dataDir)) {
      throw new StartupFailure([
        `DATABASE_URL: the folder ${folder} of the SQLite file does not exist.`,
        shown,
        `Create it (mkdir -p ${folder}) or correct the path.`,
      ]);
    }
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new StartupFailure([`DATA_DIR: cannot create the folder ${folder} (${errorCode(error) ?? (error as Error).message}).`]);
    }
  }
  try {
    if (!existsSync(file)) return accessSync(folder, constants.W_OK);
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma('schema_version'); // reads the header: "file is not a database" shows here
    } finally {
      db.close();
    }
  } catch (error) {
    throw new StartupFailure([
      `DATABASE_URL: cannot open the SQLite file ${file} (${errorCode(error) ?? 'error'}).`,
      shown,
      `The error: ${(error as Error).message}`,
    ]);
  }
}
