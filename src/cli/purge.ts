import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { nowMicros } from '@app/common';
import { ConfigError, loadConfig } from '../config/app-config';
import { loadEnvFile } from '../config/env-file';
import { readOrCreateSecretKey } from '../config/secret-key';
import { checkDatabase } from '../database/database-check';
import { PurgeService } from '../events/retention/purge.service';
import { StartupFailure } from '../lifecycle/startup-failure';
import { QuietStartupLogger } from '../logging/quiet-startup-logger';
import { PurgeCommandModule } from './purge-command.module';
import { PurgeProgress } from './purge-progress';

/**
 * `npm run purge`: deletes the expired events (leaving their histories) and the aged-out revisions
 * once, now, with the same configuration (environment and `.env`) as the server, and prints how many
 * it removed; a long purge reports its progress on stderr every few seconds. Safe while servers
 * run: on MariaDB it takes the same lock as their scheduled purge and reports "skipped" if one of
 * them holds it.
 * Exit codes: 0 done or skipped, 1 failed, 2 bad configuration.
 */
async function main(): Promise<number> {
  let config;
  try {
    loadEnvFile();
    config = loadConfig(process.env, readOrCreateSecretKey);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    return 2;
  }
  // As the server does: a database it cannot use is one message naming DATABASE_URL, not
  // TypeORM's retries and a stack.
  try {
    await checkDatabase(config);
  } catch (error) {
    if (!(error instanceof StartupFailure)) throw error;
    console.error(error.reportAs('purge cannot run'));
    return 1;
  }
  const app = await NestFactory.createApplicationContext(PurgeCommandModule.forRoot(config), { bufferLogs: true });
  app.useLogger(new QuietStartupLogger(app.get(Logger)));
  let result;
  try {
    const purge = app.get(PurgeService);
    const now = nowMicros();
    const progress = new PurgeProgress(await purge.countExpired(now), (line) => console.error(line));
    result = await purge.purgeExpired({ now, onProgress: ({ deleted }) => progress.update(deleted) });
  } finally {
    await app.close();
  }
  console.log(
    result.status === 'skipped'
      ? `Purge skipped: already ${result.reason}.`
      : `Purged ${result.deleted} expired events and ${result.revisionsDeleted} aged-out revisions` +
          `${result.status === 'interrupted' ? ' (interrupted)' : ''}.`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`Purge failed: ${error.message}`);
    process.exit(1);
  },
);
