import type { EventRecord } from '../event.types';
import type { EventsService } from '../events.service';
import type { RecordableRequest, RecordOptions } from './recording.types';

/**
 * `EventsService.record` for one module: events it records carry the module's name as `app`
 * unless a call names another. Get one by importing `EventsModule.forFeature('<app>')`:
 *
 * ```ts
 * @Module({ imports: [EventsModule.forFeature('authentik.flows')], providers: [FlowsService] })
 * export class FlowsModule {}
 *
 * @Injectable()
 * export class FlowsService {
 *   constructor(private readonly events: EventRecorder) {}
 *
 *   async finish(flow: Flow, request: FastifyRequest): Promise<void> {
 *     await this.events.record('flow_execution', { request, context: { flow } });
 *   }
 * }
 * ```
 */
export class EventRecorder {
  constructor(
    private readonly events: EventsService,
    /** The default `app` of this module's events. */
    readonly app: string,
  ) {}

  /**
   * Stores an event: an action outside the enum as `custom_<action>`; with `request`, also
   * `context.http_request`, the caller as `user`, and `client_ip` (see `RecordOptions`).
   */
  record(action: string, options: RecordOptions = {}): Promise<EventRecord> {
    return this.events.record(action, { ...options, app: options.app || this.app });
  }

  /** This recorder bound to one request: `events.forRequest(request).record('login')`. */
  forRequest(request: RecordableRequest): RequestEventRecorder {
    return new RequestEventRecorder(this, request);
  }
}

/**
 * Records events for the current request; a controller gets one with `@RequestEvents()`:
 *
 * ```ts
 * @Post('logout')
 * async logout(@RequestEvents() events: RequestEventRecorder): Promise<void> {
 *   await events.record('logout');
 * }
 * ```
 */
export class RequestEventRecorder {
  constructor(
    private readonly recorder: EventRecorder,
    readonly request: RecordableRequest,
  ) {}

  record(
    action: string,
    context?: Record<string, unknown>,
    options: Omit<RecordOptions, 'request' | 'context'> = {},
  ): Promise<EventRecord> {
    return this.recorder.record(action, { ...options, context, request: this.request });
  }
}
