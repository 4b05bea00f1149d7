import { DynamicModule, Module, Type } from '@nestjs/common';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EventsModule } from './events/events.module';
import { RetentionModule } from './events/retention/retention.module';
import { ExportsModule } from './exports/exports.module';
import { HealthModule } from './health/health.module';
import { IdentityModule } from './identity/identity.module';
import { LoggingModule } from './logging/logging.module';
import { MetricsModule } from './metrics/metrics.module';
import { NotificationsModule } from './notifications/notifications.module';
import { OpenApiModule } from './openapi/openapi.module';
import { PoliciesModule } from './policies/policies.module';
import { HttpModule } from './http/http.module';

/** A feature module as `imports` takes it. */
export type FeatureModule = Type | DynamicModule;

/** Wires the feature modules together; nothing else lives here. */
@Module({})
export class AppModule {
  /** `extraModules`: feature modules mounted after ours (see `createApp`'s options). */
  static forRoot(config: AppConfig, extraModules: readonly FeatureModule[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        DatabaseModule,
        MetricsModule.forRoot(config.metrics),
        HttpModule,
        IdentityModule,
        PoliciesModule,
        EventsModule,
        ExportsModule,
        NotificationsModule,
        RetentionModule.forRoot({ schedule: config.purgeEnabled, revisionRetentionMicros: config.revisionRetentionMicros }),
        HealthModule,
        OpenApiModule,
        ...extraModules,
      ],
    };
  }
}
