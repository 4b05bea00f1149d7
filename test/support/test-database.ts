import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';

export type TestDb = 'sqlite' | 'mariadb';

export const TEST_DB: TestDb = process.env.TEST_DB === 'mariadb' ? 'mariadb' : 'sqlite';

/** Where the MariaDB test databases live (the CI's server on 3306 unless told otherwise). */
export const MARIADB_ADMIN_URL = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';

export interface ScratchDatabase {
  url: string;
  dataDir: string;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database for one test file: an SQLite file in a temp directory, or a new
 * MariaDB database on the test server, dropped afterwards. Test files never share data.
 */
export async function createScratchDatabase(db: TestDb = TEST_DB): Promise<ScratchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'eventlog-test-'));
  if (db === 'sqlite') {
    return {
      url: `sqlite:${join(dataDir, 'test.sqlite')}`,
      dataDir,
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `eventlog_t_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new URL(MARIADB_ADMIN_URL);
  const connection = await createConnection({ uri: MARIADB_ADMIN_URL });
  await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await connection.end();
  admin.pathname = `/${name}`;
  return {
    url: admin.toString(),
    dataDir,
    drop: async () => {
      const c = await createConnection({ uri: MARIADB_ADMIN_URL });
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
