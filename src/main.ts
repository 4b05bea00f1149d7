import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError, loadConfig } from './config/app-config';
import { loadEnvFile } from './config/env-file';
import { readOrCreateSecretKey } from './config/secret-key';
import { API_PREFIX, createApp } from './create-app';
import { closeOnSignals } from './lifecycle/graceful-shutdown';

async function main(): Promise<void> {
  let config;
  try {
    loadEnvFile();
    config = loadConfig(process.env, readOrCreateSecretKey);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const app = await createApp(config);
  const logger = new Logger('Main');
  closeOnSignals(app, config.shutdownTimeoutMs, logger);
  await app.listen(config.port, config.host);
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  logger.log(`eventlog listening on ${url} (database: ${config.database.type})`);
  logger.log(`Swagger UI: ${url}/${API_PREFIX}/  OpenAPI: ${url}/${API_PREFIX}/schema/`);
}

void main();
