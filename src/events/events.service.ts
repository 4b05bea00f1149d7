import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { buildPagination, noMatch, nowMicros, parsePageRequest } from '@app/common';
import type { Principal } from '@app/auth';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { mayPauseInTransactions } from '../database/transaction-pauses';
import { defaultBrand } from './default-brand';
import { EventDto, serializeEvent } from './dto/event.dto';
import { EventsRepository } from './events.repository';
import { recordedEvent, recordedEventSliced } from './recording/recorded-event';
import { actorSnapshot } from './revisions/revision-builder';
import type { RecordOptions } from './recording/recording.types';
import { buildListSelection, counterSelection, ListQuery, parseOrdering } from './query';
import {
  DEFAULT_EVENT_ORDERING,
  EventListRequest,
  EventPage,
  EventRecord,
  EventWritableFields,
  givenWritableFields,
  NewEvent,
} from './event.types';

/** The `app` of events recorded through `EventsService.record` without one. */
export const EVENTS_APP = 'authentik.events';

/** Who changes the log; kept for the revision history of SPEC §7. */
export type EventActor = Principal | undefined;

/**
 * The events log for the API and for other modules. `create` and the edits take values as
 * validated by the API's DTOs; `record` is the in-process way in, and sanitises and masks.
 * Expired events (`expires <= now`) do not exist for any method (SPEC §5). Methods that address
 * one event throw the API's 404 (`No Event matches the given query.`) when it is not visible.
 */
@Injectable()
export class EventsService {
  constructor(
    private readonly repository: EventsRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Stores a new event; omitted fields get SPEC §3.2's defaults. `manager`: the caller's
   * transaction (see `record`).
   */
  async create(input: NewEvent, actor?: EventActor, manager?: EntityManager): Promise<EventRecord> {
    const created = nowMicros();
    const event: EventRecord = {
      uuid: randomUUID(),
      user: input.user ?? {},
      action: input.action,
      app: input.app,
      context: input.context ?? {},
      client_ip: input.client_ip ?? null,
      created,
      expires: input.expires ?? created + this.config.eventRetentionMicros,
      brand: input.brand ?? defaultBrand(),
    };
    // The stored copy (it went through JSON): the caller sees exactly what a later read returns.
    return this.repository.insert(event, actorSnapshot(actor), manager);
  }

  /**
   * Records an event from inside the process (SPEC §6), without the API's validation: an action
   * outside the enum is stored as `custom_<action>` (one already starting with `custom_` as it
   * is); `app` defaults to `authentik.events` (an `EventRecorder` from
   * `EventsModule.forFeature(app)` puts in its module's name); the context is made JSON-safe,
   * then masked, and the caller's objects are never modified. With `request`:
   * `context.http_request`, `user` = the authenticated principal, `client_ip` (TRUSTED_PROXIES
   * decide about `X-Forwarded-For`). `brand` is the default brand, `expires` created + retention.
   * Resolves to the event as the API shows it (`serializeEvent`, as `GET .../{uuid}/` answers).
   *
   * ```ts
   * await events.record('password_set', { app: 'authentik.core', request, context: { user } });
   * ```
   */
  async record(action: string, options: RecordOptions = {}): Promise<EventDto> {
    const defaults = { app: EVENTS_APP, trustedProxies: this.config.trustedProxies };
    const { event, actor } =
      options.manager && !mayPauseInTransactions(this.config.database.type)
        ? recordedEvent(action, options, defaults)
        : await recordedEventSliced(action, options, defaults);
    return serializeEvent(await this.create(event, actor, options.manager));
  }

  findVisible(uuid: string): Promise<EventRecord | null> {
    return this.repository.findVisibleById(uuid, nowMicros());
  }

  async getVisible(uuid: string): Promise<EventRecord> {
    return orNoMatch(await this.findVisible(uuid));
  }

  /** Changes only the given fields (PATCH); no fields → the event as it is. */
  async patch(uuid: string, fields: EventWritableFields, actor?: EventActor): Promise<EventRecord> {
    const given = givenWritableFields(fields);
    if (Object.keys(given).length === 0) return this.getVisible(uuid);
    // The result is built from the locked row and the written values: it stands even when the
    // update itself has moved `expires` into the past.
    return orNoMatch(await this.repository.patchFields(uuid, given, nowMicros(), actorSnapshot(actor)));
  }

  /** PUT: `action` and `app` are required; fields not given keep their values (as in authentik). */
  replace(uuid: string, fields: NewEvent, actor?: EventActor): Promise<EventRecord> {
    return this.patch(uuid, fields, actor);
  }

  async remove(uuid: string, actor?: EventActor): Promise<void> {
    if (!(await this.repository.deleteVisible(uuid, nowMicros(), actorSnapshot(actor)))) throw noMatch('Event');
  }

  /** The distinct `app` values of visible events, byte-sorted (the list's `autocomplete`). */
  visibleApps(): Promise<string[]> {
    return this.repository.visibleApps(nowMicros());
  }

  /** One page of visible events; `Invalid page.` past the end, checked before the page is read. */
  async list(request: EventListRequest): Promise<EventPage> {
    const now = nowMicros();
    const count = request.countFromCounters
      ? await this.repository.countVisibleFromCounters(request.countFromCounters, now)
      : await this.repository.countVisible({ where: request.where, anyOf: request.anyOf, now });
    const pagination = buildPagination(request.page, count);
    const results =
      count === 0
        ? []
        : await this.repository.listPage({
            where: request.where,
            anyOf: request.anyOf,
            ordering: request.ordering?.length ? request.ordering : DEFAULT_EVENT_ORDERING,
            limit: request.page.pageSize,
            offset: request.page.offset,
            now,
          });
    return { pagination, results };
  }

  /**
   * The list behind `GET /events/events/` from its raw query parameters (SPEC §3.3): the filters
   * and `search` (src/events/query), `ordering`, `page`, `page_size`. The filters are read first,
   * so a bad `actions` is a 400 even on a page that does not exist (DRF filters, then paginates).
   */
  async listFromQuery(params: ListQuery): Promise<EventPage> {
    const { where, anyOf } = buildListSelection(params, this.config.database.type);
    return this.list({
      page: parsePageRequest(params, this.config.pagination),
      where,
      anyOf,
      ordering: parseOrdering(params.ordering),
      // Filtered by nothing, action and the model's app/name only: counted from the counters, no scan.
      countFromCounters: counterSelection(params) ?? undefined,
    });
  }
}

function orNoMatch(event: EventRecord | null): EventRecord {
  if (!event) throw noMatch('Event');
  return event;
}
