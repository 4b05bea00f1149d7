import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { loadEnvFile } from './config/env-file';
import { readOrCreateSecretKey } from './config/secret-key';
import { checkDatabase } from './database/database-check';
import { checkPortFree, listenFailure, METRICS_LISTEN } from './lifecycle/port-check';
import { StartupFailure } from './lifecycle/startup-failure';

/** Exit codes: 2 a bad setting, 1 a start-up failure the operator can fix (database, port). */
function fail(code: number, message: string): never {
  console.error(message);
  process.exit(code);
}

function readConfig(): { config: AppConfig; envFile: string | undefined } {
  try {
    const envFile = loadEnvFile();
    return { config: loadConfig(process.env, readOrCreateSecretKey), envFile };
  } catch (error) {
    if (error instanceof ConfigError) fail(2, error.message);
    throw error;
  }
}

async function main(): Promise<void> {
  const { config, envFile } = readConfig();
  // Before Nest starts: migrations and the admin token come only after both are known to work.
  try {
    await checkPortFree(config.host, config.port);
    if (config.metrics) await checkPortFree(config.metrics.host, config.metrics.port, METRICS_LISTEN);
    await checkDatabase(config);
  } catch (error) {
    if (error instanceof StartupFailure) fail(1, error.report);
    throw error;
  }
  // Loaded only now: a failed check above answers in a moment instead of after loading the whole app.
  const { API_PREFIX, createApp } = await import('./create-app');
  const { closeOnSignals } = await import('./lifecycle/graceful-shutdown');
  const app = await createApp(config);
  const logger = new Logger('Main');
  if (envFile) logger.log(`settings read from ${envFile} (the environment wins over it)`);
  closeOnSignals(app, config.shutdownTimeoutMs, logger);
  try {
    await app.listen(config.port, config.host);
  } catch (error) {
    const failure = listenFailure(error, config.host, config.port); // taken since the check
    if (!(failure instanceof StartupFailure)) throw error;
    await app.close();
    fail(1, failure.report);
  }
  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('0.0.0.0', 'localhost');
  logger.log(`eventlog listening on ${url} (database: ${config.database.type})`);
  logger.log(`Swagger UI: ${url}/${API_PREFIX}/  OpenAPI: ${url}/${API_PREFIX}/schema/`);
}

void main();
