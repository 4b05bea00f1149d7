import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { loadConfig, AppConfig } from '../../src/config/app-config';
import { readOrCreateSecretKey } from '../../src/config/secret-key';
import { createApp, CreateAppOptions } from '../../src/create-app';
import { EVENT_DEPENDENT_TABLES } from '../../src/events/retention/retention.options';
import { createScratchDatabase, ScratchDatabase, TEST_DB } from './test-database';
import { ApiClient } from './api-client';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  baseUrl: string;
  /** The superuser's key (AUTHENTIK_BOOTSTRAP_TOKEN). */
  adminKey: string;
  /** An API client authenticated as the superuser. */
  admin: ApiClient;
  /** An API client without credentials. */
  anonymous: ApiClient;
  dataSource: DataSource;
  database: ScratchDatabase;
  dialect: 'sqlite' | 'mysql';
  close(): Promise<void>;
}

export interface TestAppOptions extends CreateAppOptions {
  /**
   * Keep the events the start itself records (the bootstrap's `model_created` for `akadmin` and
   * its token). By default they are removed, so every test file begins with an empty log.
   */
  keepStartupEvents?: boolean;
  /** A database of the test's own (e.g. on a private MariaDB server) instead of a scratch one. */
  database?: ScratchDatabase;
}

/**
 * Boots the real application (same `createApp` as production) on a random port against a
 * scratch database of TEST_DB's kind, with a known superuser key. `env` overrides variables.
 */
export async function startTestApp(env: Record<string, string | undefined> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createScratchDatabase());
  const adminKey = `admin-${randomBytes(16).toString('hex')}`;
  const config = loadConfig(
    {
      DATABASE_URL: database.url,
      DATA_DIR: database.dataDir,
      AUTHENTIK_SECRET_KEY: 'test-secret-key-0123456789abcdef',
      AUTHENTIK_BOOTSTRAP_TOKEN: adminKey,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      PURGE_ENABLED: 'false',
      // Tests fail authentication on purpose, many times; test/limits checks the limiter itself.
      AUTH_FAILURE_LIMIT: '1000000',
      // No metrics listener unless a test asks (METRICS_PORT=0): parallel test files share the machine's ports.
      METRICS_PORT: 'off',
      ...env,
    },
    readOrCreateSecretKey,
  );
  const app = await createApp(config, { modules: options.modules });
  if (!options.keepStartupEvents) await deleteAllEvents(app.get(DataSource));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    app,
    config,
    baseUrl,
    adminKey,
    admin: new ApiClient(baseUrl, adminKey),
    anonymous: new ApiClient(baseUrl),
    dataSource: app.get(DataSource),
    database,
    dialect: config.database.type,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

export const describeDb = `${TEST_DB}`;

async function deleteAllEvents(dataSource: DataSource): Promise<void> {
  for (const table of [...EVENT_DEPENDENT_TABLES, 'event_revisions', 'events']) await dataSource.query(`DELETE FROM ${table}`);
}
