import { DynamicModule, Module } from '@nestjs/common';
import { EventsBulkController } from './bulk/events-bulk.controller';
import { EventsBulkService } from './bulk/events-bulk.service';
import { CounterFold } from './counters/counter-fold';
import { EventsController } from './events.controller';
import { EventsRepository } from './events.repository';
import { EventsService } from './events.service';
import { EventListService } from './listing/event-list.service';
import { EventSaves } from './outbox/event-saves';
import { EventRecorderModule } from './recording/event-recorder.module';
import { RevisionsModule } from './revisions/revisions.module';
import { EventsStatisticsController } from './statistics/events-statistics.controller';
import { EventsStatisticsService } from './statistics/events-statistics.service';
import { EventStreamModule } from './stream/event-stream.module';

/**
 * The product: the events API. Exports `EventsService` for the events feature's own modules;
 * another module imports `forFeature(app)` instead (src/events/index.ts is all it needs).
 */
@Module({
  imports: [RevisionsModule, EventStreamModule],
  // Static paths (`volume`, `stats`...) before EventsController's `:event_uuid`.
  controllers: [EventsStatisticsController, EventsBulkController, EventsController],
  providers: [EventsRepository, EventsService, EventListService, EventsStatisticsService, EventsBulkService, CounterFold, EventSaves],
  exports: [EventsService, EventSaves],
})
export class EventsModule {
  /**
   * For a module that records events: provides an `EventRecorder` whose events carry `app`
   * (and exports `EventsService` too). `@Module({ imports: [EventsModule.forFeature('authentik.core')] })`
   */
  static forFeature(app: string): DynamicModule {
    return EventRecorderModule.register(EventsModule, app);
  }
}
