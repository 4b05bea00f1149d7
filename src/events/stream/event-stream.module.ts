import { Module } from '@nestjs/common';
import { RevisionsModule } from '../revisions/revisions.module';
import { EventStreamController } from './event-stream.controller';
import { EventStreamService } from './event-stream.service';

/** The keyset stream of events (`GET /events/events/stream/`), also used by data exports. */
@Module({
  imports: [RevisionsModule],
  controllers: [EventStreamController],
  providers: [EventStreamService],
  exports: [EventStreamService],
})
export class EventStreamModule {}
