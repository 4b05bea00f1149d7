import 'reflect-metadata';
import mysql from 'mysql2/promise';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { BenchConfig, serverUrl } from './config';

/** `CREATE TABLE` of every product table (not bench_meta), without AUTO_INCREMENT counters. */
async function tableDefinitions(config: BenchConfig): Promise<string> {
  const conn = await mysql.createConnection({ uri: config.databaseUrl });
  try {
    const [tables] = await conn.query<mysql.RowDataPacket[]>(
      `SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME <> 'bench_meta' ORDER BY TABLE_NAME`,
    );
    const definitions: string[] = [];
    for (const { t } of tables) {
      const [[row]] = await conn.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE \`${t}\``);
      // Compared as a set of lines: the bulk load re-adds the indexes, which changes their order.
      const lines = String(row['Create Table'])
        .replace(/ AUTO_INCREMENT=\d+/, '')
        .split('\n');
      definitions.push(
        lines
          .map((line) => line.trim().replace(/,$/, ''))
          .sort()
          .join('\n'),
      );
    }
    return definitions.join('\n');
  } finally {
    await conn.end();
  }
}

/**
 * Whether the bench database has exactly the schema the product's migrations produce today
 * (an edited or added migration means the seeded data must be rebuilt). Checked by migrating a
 * scratch database `<bench database>_schema` and comparing the tables.
 */
export async function schemaIsCurrent(config: BenchConfig): Promise<boolean> {
  const url = new URL(config.databaseUrl);
  url.pathname = `/${config.databaseName}_schema`;
  const scratch: BenchConfig = { ...config, databaseUrl: url.toString(), databaseName: `${config.databaseName}_schema` };
  await recreateDatabase(scratch);
  try {
    return (await tableDefinitions(config)) === (await tableDefinitions(scratch));
  } finally {
    const server = await mysql.createConnection({ uri: serverUrl(config) });
    await server.query(`DROP DATABASE IF EXISTS \`${scratch.databaseName}\``);
    await server.end();
  }
}

/** The bench database's `bench_meta` record, or null when there is no seeded database yet. */
export async function readMeta(config: BenchConfig): Promise<Record<string, string> | null> {
  const server = await mysql.createConnection({ uri: serverUrl(config) });
  try {
    const [tables] = await server.query<mysql.RowDataPacket[]>(
      `SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'bench_meta'`,
      [config.databaseName],
    );
    if (tables.length === 0) return null;
    const [rows] = await server.query<mysql.RowDataPacket[]>(`SELECT k, v FROM \`${config.databaseName}\`.bench_meta`);
    return Object.fromEntries(rows.map((r) => [r.k as string, r.v as string]));
  } finally {
    await server.end();
  }
}

/** Drops and recreates the bench database (only ever the bench one), then runs the product's migrations. */
export async function recreateDatabase(config: BenchConfig): Promise<void> {
  const server = await mysql.createConnection({ uri: serverUrl(config) });
  try {
    const db = `\`${config.databaseName}\``;
    await server.query(`DROP DATABASE IF EXISTS ${db}`);
    await server.query(`CREATE DATABASE ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await server.end();
  }
  await migrate(config);
}

/** Applies the product's pending migrations with the product's own DataSource. */
export async function migrate(config: BenchConfig): Promise<void> {
  const appConfig = loadConfig(
    { DATABASE_URL: config.databaseUrl, AUTHENTIK_SECRET_KEY: 'bench-secret-key-not-used-for-tokens' },
    () => 'unused',
  );
  const dataSource = new DataSource(dataSourceOptions(appConfig));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

export function openPool(config: BenchConfig, connectionLimit: number): mysql.Pool {
  return mysql.createPool({
    uri: config.databaseUrl,
    connectionLimit,
    supportBigNumbers: true,
    bigNumberStrings: false,
    charset: 'utf8mb4_unicode_ci',
  });
}

/** Small key/value table the harness keeps in the bench database (not part of the product). */
export class BenchMeta {
  constructor(private readonly pool: mysql.Pool) {}

  async ensure(): Promise<void> {
    await this.pool.query('CREATE TABLE IF NOT EXISTS bench_meta (k VARCHAR(64) PRIMARY KEY, v TEXT NOT NULL)');
  }

  async write(values: Record<string, string | number>): Promise<void> {
    const rows = Object.entries(values).map(([k, v]) => [k, String(v)]);
    await this.pool.query('INSERT INTO bench_meta (k, v) VALUES ? ON DUPLICATE KEY UPDATE v = VALUES(v)', [rows]);
  }
}
