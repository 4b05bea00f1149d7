import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { noMatch, nowMicros } from '@app/common';
import type { Principal } from '@app/auth';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { mayPauseInTransactions } from '../database/transaction-pauses';
import { defaultBrand } from './default-brand';
import { newEventUuid } from './event-uuid';
import type { EventDto } from './dto/event.dto';
import { EventsRepository } from './events.repository';
import { EventSaves } from './outbox/event-saves';
import { EventRecorder, PreparedCreate } from './recording/event-recorder';
import type { RecordOptions } from './recording/recording.types';
import { EventWriter } from './revisions/event-writer';
import { actorSnapshot } from './revisions/revision-builder';
import { EventRecord, EventWritableFields, NewEvent, pickWritableFields } from './event.types';

/** The `app` of events recorded through `EventsService.record` without one. */
export const EVENTS_APP = 'authentik.events';

/** Who changes the log; kept for the revision history of docs/api-contract.md §7. */
export type EventActor = Principal | undefined;

/**
 * The events log for the API and for other modules. `create` and the edits take values as
 * validated by the API's DTOs; `record` is the in-process way in, and sanitises and masks.
 * Expired events (`expires <= now`) do not exist for any method (docs/api-contract.md §5). Methods that address
 * one event throw the API's 404 (`No Event matches the given query.`) when it is not visible.
 */
@Injectable()
export class EventsService {
  private readonly recorder: EventRecorder;

  constructor(
    private readonly repository: EventsRepository,
    private readonly writer: EventWriter,
    @InjectConfig() private readonly config: AppConfig,
    private readonly saves: EventSaves,
  ) {
    this.recorder = this.recorderFor(EVENTS_APP);
  }

  /**
   * Stores a new event; omitted fields get docs/api-contract.md §3.2's defaults. `manager`: the caller's
   * transaction (see `record`).
   */
  async create(input: NewEvent, actor?: EventActor, manager?: EntityManager): Promise<EventRecord> {
    const event = this.newEvent(input, nowMicros());
    // The stored copy (it went through JSON): the caller sees exactly what a later read returns.
    const stored = await this.writer.insert(event, actorSnapshot(actor), manager);
    this.saves.notify();
    return stored;
  }

  /**
   * `create` in two steps, for a caller's transaction that may not pause (SQLite): the event and
   * its revision are computed now, in slices; `run(manager)` later stores it in the transaction.
   */
  async prepareCreate(input: NewEvent, actor?: EventActor): Promise<PreparedCreate> {
    const prepared = await this.writer.prepareInsert(this.newEvent(input, nowMicros()), actorSnapshot(actor));
    return {
      stored: prepared.stored,
      run: async (manager) => {
        const stored = await prepared.run(manager);
        this.saves.notify();
        return stored;
      },
      discard: () => prepared.discard(),
    };
  }

  /**
   * Stores many new events in one transaction (bulk ingest): all or none. They share one
   * `created`; `uuid` keeps an id the caller chose (checked unused by the caller: a taken one
   * fails the whole write). Resolves to the events as stored, in order.
   */
  createMany(inputs: (NewEvent & { uuid?: string })[], actor?: EventActor): Promise<EventRecord[]> {
    const created = nowMicros();
    const events = inputs.map((input) => this.newEvent(input, created, input.uuid));
    return this.writer.insertMany(events, actorSnapshot(actor));
  }

  /** Which of these event ids are taken, expired events' included. */
  existingUuids(uuids: string[]): Promise<Set<string>> {
    return this.writer.existingUuids(uuids);
  }

  /**
   * Records an event from inside the process (docs/api-contract.md §6), without the API's validation: an action
   * outside the enum is stored as `custom_<action>` (one already starting with `custom_` as it
   * is); `app` defaults to `authentik.events`; the context is made JSON-safe, then masked, and
   * the caller's objects are never modified. With `request`: `context.http_request`, `user` = the
   * authenticated principal, `client_ip` (TRUSTED_PROXIES decide about `X-Forwarded-For`).
   * `brand` is the default brand, `expires` created + retention. Resolves to the event as the API
   * shows it (`serializeEvent`, as `GET .../{uuid}/` answers). The same as an `EventRecorder`
   * (src/events/recording, where events are built) for `authentik.events`.
   *
   * ```ts
   * await events.record('password_set', { app: 'authentik.core', request, context: { user } });
   * ```
   */
  record(action: string, options: RecordOptions = {}): Promise<EventDto> {
    return this.recorder.record(action, options);
  }

  /** The recorder of `EventsModule.forFeature(app)`: its events default to that `app`. */
  recorderFor(app: string): EventRecorder {
    return new EventRecorder(this, {
      app,
      trustedProxies: this.config.trustedProxies,
      mayPauseInTransactions: mayPauseInTransactions(this.config.database.type),
    });
  }

  findVisible(uuid: string): Promise<EventRecord | null> {
    return this.repository.findVisibleById(uuid, nowMicros());
  }

  /** These events, those visible now, by uuid (one read). */
  findVisibleMany(uuids: readonly string[]): Promise<Map<string, EventRecord>> {
    return this.repository.findVisibleByIds(uuids, nowMicros());
  }

  /** Which of these events are visible now. */
  visibleUuids(uuids: readonly string[]): Promise<Set<string>> {
    return this.repository.visibleIds(uuids, nowMicros());
  }

  async getVisible(uuid: string): Promise<EventRecord> {
    return orNoMatch(await this.findVisible(uuid));
  }

  /** Changes only the given fields (PATCH); no fields → the event as it is. */
  async patch(uuid: string, fields: EventWritableFields, actor?: EventActor): Promise<EventRecord> {
    const changes = pickWritableFields(fields);
    if (changes.names.length === 0) return this.getVisible(uuid);
    // The result is built from the locked row and the written values: it stands even when the
    // update itself has moved `expires` into the past.
    const patched = orNoMatch(await this.writer.patch(uuid, changes, nowMicros(), actorSnapshot(actor)));
    this.saves.notify();
    return patched;
  }

  /** PUT: `action` and `app` are required; fields not given keep their values (as in authentik). */
  replace(uuid: string, fields: NewEvent, actor?: EventActor): Promise<EventRecord> {
    return this.patch(uuid, fields, actor);
  }

  /** A new event from validated input: omitted fields get docs/api-contract.md §3.2's defaults. */
  private newEvent(input: NewEvent, created: number, uuid: string = newEventUuid()): EventRecord {
    return {
      uuid,
      user: input.user ?? {},
      action: input.action,
      app: input.app,
      context: input.context ?? {},
      client_ip: input.client_ip ?? null,
      created,
      expires: input.expires ?? created + this.config.eventRetentionMicros,
      brand: input.brand ?? defaultBrand(),
    };
  }

  async remove(uuid: string, actor?: EventActor): Promise<void> {
    if (!(await this.writer.delete(uuid, nowMicros(), actorSnapshot(actor)))) throw noMatch('Event');
  }
}

function orNoMatch(event: EventRecord | null): EventRecord {
  if (!event) throw noMatch('Event');
  return event;
}
