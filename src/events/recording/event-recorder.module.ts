import { DynamicModule, Module, Type } from '@nestjs/common';
import { EventsService } from '../events.service';
import { EventRecorder } from './event-recorder';

/** The default `app` of one feature's `EventRecorder`. */
export const RECORDER_APP = Symbol('RECORDER_APP');

/** Holds one feature's `EventRecorder`; built by `EventsModule.forFeature(app)`. */
@Module({})
export class EventRecorderModule {
  /**
   * `eventsModule` is `EventsModule`, passed in to keep the two files free of an import cycle.
   * `app` is a value provider, not only captured by the factory: Nest tells dynamic modules apart
   * by their serialised metadata, where a closure's values do not show.
   */
  static register(eventsModule: Type, app: string): DynamicModule {
    return {
      module: EventRecorderModule,
      imports: [eventsModule],
      providers: [
        { provide: RECORDER_APP, useValue: app },
        {
          provide: EventRecorder,
          inject: [EventsService, RECORDER_APP],
          useFactory: (events: EventsService, name: string) => events.recorderFor(name),
        },
      ],
      exports: [EventRecorder, eventsModule],
    };
  }
}
