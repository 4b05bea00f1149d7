import { Module } from '@nestjs/common';

/** The product: the events API and `EventsService` for other modules. */
@Module({})
export class EventsModule {}
