import { DynamicModule, Global, Module, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { failoverFor } from '../database/failover/database-failover';
import { AppMetrics } from './app-metrics';
import { MetricsServer } from './metrics-server';
import { dataSourcePoolStats } from './pool-stats';

/**
 * `AppMetrics` for every module to record into, and, unless METRICS_PORT=off, the `MetricsServer`
 * that Prometheus scrapes, with Node's process metrics. The HTTP metrics are wired in `createApp`.
 */
@Global()
@Module({})
export class MetricsModule implements OnApplicationBootstrap {
  static forRoot(listen: AppConfig['metrics']): DynamicModule {
    return {
      module: MetricsModule,
      providers: [
        {
          provide: AppMetrics,
          useFactory: () => {
            const metrics = new AppMetrics();
            if (listen) metrics.collectProcessMetrics();
            return metrics;
          },
        },
        ...(listen ? [{ provide: MetricsServer, inject: [AppMetrics], useFactory: (m: AppMetrics) => new MetricsServer(m, listen) }] : []),
      ],
      exports: [AppMetrics],
    };
  }

  constructor(
    private readonly metrics: AppMetrics,
    private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.metrics.watchPool('main', () => dataSourcePoolStats(this.dataSource));
    failoverFor(this.config)?.on('failover', () => this.metrics.databaseFailovers.inc());
  }
}
