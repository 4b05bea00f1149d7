import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/app-config';
import { APP_CONFIG } from '../../config/config.token';
import { Dialect } from '../../database/sql';
import { AppMetrics } from '../../metrics/app-metrics';
import { mysqlPoolStats } from '../../metrics/pool-stats';
import { ChainVerifier } from './chain-verifier';
import { CommitHorizon } from './commit-horizon';
import { EventHistoryController } from './event-history.controller';
import { EventHistoryService } from './event-history.service';
import { EventWriter } from './event-writer';
import { MysqlEventWriter } from './mysql-event-writer';
import { RevisionSql } from './revision-sql';
import { SqliteEventWriter } from './sqlite-event-writer';

/**
 * Edits are never silent (docs/api-contract.md §7): the `EventWriter` every event write goes through (it appends
 * the revisions), the history and verify routes, and the `CommitHorizon` readers of new events
 * respect.
 */
@Module({
  controllers: [EventHistoryController],
  providers: [
    CommitHorizon,
    {
      provide: EventWriter,
      inject: [APP_CONFIG, Dialect, DataSource, CommitHorizon, AppMetrics],
      useFactory: (
        config: AppConfig,
        dialect: Dialect,
        dataSource: DataSource,
        horizon: CommitHorizon,
        metrics: AppMetrics,
      ): EventWriter => {
        // The one choice between the two transaction strategies (see each writer).
        const sql = new RevisionSql(dialect);
        if (dialect.name === 'sqlite') return new SqliteEventWriter(sql, dataSource, config.database.timeoutMs, horizon);
        const writer = new MysqlEventWriter(sql, config, horizon, (reason) => metrics.writeRetries.inc({ reason }));
        metrics.watchPool('writer', () => mysqlPoolStats(writer.connectionPool));
        return writer;
      },
    },
    ChainVerifier,
    EventHistoryService,
  ],
  exports: [EventWriter, CommitHorizon],
})
export class RevisionsModule {}
