import type { EventDto } from '../dto/event.dto';
import type { EventsService } from '../events.service';
import type { RecordableRequest, RecordOptions, RequestRecordOptions } from './recording.types';

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
   * Resolves to the event exactly as `GET /api/v3/events/events/{uuid}/` shows it.
   */
  record(action: string, options: RecordOptions = {}): Promise<EventDto> {
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
 *   await events.record('logout', { context: { reason: 'button' } });
 * }
 * ```
 */
export class RequestEventRecorder {
  constructor(
    private readonly recorder: EventRecorder,
    readonly request: RecordableRequest,
  ) {}

  /** `EventRecorder.record` with this request: same options, same result. */
  record(action: string, options: RequestRecordOptions = {}): Promise<EventDto> {
    return this.recorder.record(action, { ...options, request: this.request });
  }
}
