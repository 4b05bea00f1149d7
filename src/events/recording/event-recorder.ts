import type { EntityManager } from 'typeorm';
import type { Principal } from '@app/auth';
import { EventDto, serializeEvent } from '../dto/event.dto';
import type { EventRecord, NewEvent } from '../event.types';
import { recordedEvent, recordedEventSliced, RecordingDefaults } from './recorded-event';
import type { RecordableRequest, RecordOptions, RequestRecordOptions } from './recording.types';

/** Where a recorder stores the events it builds: `EventsService.create` and `prepareCreate`. */
export interface EventCreator {
  create(input: NewEvent, actor?: Principal, manager?: EntityManager): Promise<EventRecord>;
  prepareCreate(input: NewEvent, actor?: Principal): Promise<PreparedCreate>;
}

/** An event computed ahead of the transaction that stores it (`EventsService.prepareCreate`). */
export interface PreparedCreate {
  /** The event exactly as a read returns it once stored. */
  readonly stored: EventRecord;
  /** Stores it in the caller's transaction. Once. */
  run(manager: EntityManager): Promise<EventRecord>;
  /** Not to be stored after all. */
  discard(): void;
}

/** An event built and computed ahead of the transaction that stores it (`EventRecorder.prepare`). */
export interface PreparedRecord {
  /** Stores it in `manager`'s transaction; the event as the API shows it. Once. */
  record(manager: EntityManager): Promise<EventDto>;
  /** Not to be stored after all. */
  discard(): void;
}

export interface RecorderSettings extends RecordingDefaults {
  /** Whether work in a caller's transaction may pause for the event loop (see mayPauseInTransactions). */
  mayPauseInTransactions: boolean;
}

/**
 * Records events for one module (docs/api-contract.md §6), the one place an in-process event is built: events it
 * records carry the module's name as `app` unless a call names another. Get one by importing
 * `EventsModule.forFeature('<app>')` (`EventsService.record` is the one for `authentik.events`):
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
    private readonly events: EventCreator,
    private readonly settings: RecorderSettings,
  ) {}

  /** The default `app` of this module's events. */
  get app(): string {
    return this.settings.app;
  }

  /**
   * Stores an event: an action outside the enum as `custom_<action>`; with `request`, also
   * `context.http_request`, the caller as `user`, and `client_ip` (see `RecordOptions`).
   * Resolves to the event exactly as `GET /api/v3/events/events/{uuid}/` shows it.
   */
  async record(action: string, options: RecordOptions = {}): Promise<EventDto> {
    // Inside a caller's transaction that may not pause (SQLite's one connection) the event is built in one go.
    const { event, actor } =
      options.manager && !this.settings.mayPauseInTransactions
        ? recordedEvent(action, options, this.settings)
        : await recordedEventSliced(action, options, this.settings);
    return serializeEvent(await this.events.create(event, actor, options.manager));
  }

  /**
   * `record` in two steps, for a transaction in which the work may not pause (SQLite's one
   * connection; see mayPauseInTransactions): the event (sanitised, masked, its revision and hash)
   * is built now, in slices that let other requests in, before the caller opens its
   * transaction; `record(manager)` then only stores it. `discard` it if the transaction is not run.
   */
  async prepare(action: string, options: Omit<RecordOptions, 'manager'> = {}): Promise<PreparedRecord> {
    const { event, actor } = await recordedEventSliced(action, options, this.settings);
    const prepared = await this.events.prepareCreate(event, actor);
    return {
      record: async (manager) => serializeEvent(await prepared.run(manager)),
      discard: () => prepared.discard(),
    };
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
