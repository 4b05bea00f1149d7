import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config';
import { loadEnvFile } from './src/config/env-file';
import { readOrCreateSecretKey } from './src/config/secret-key';
import { dataSourceOptions } from './src/database/data-source-options';

/**
 * The DataSource the TypeORM CLI uses (`npm run migration:run` and friends). It reads the same
 * environment (and `.env`) as the service: DATABASE_URL picks SQLite (default) or MariaDB/MySQL.
 */
loadEnvFile();
export default new DataSource(dataSourceOptions(loadConfig(process.env, readOrCreateSecretKey)));
