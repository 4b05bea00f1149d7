import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { buildPagination, noMatch, nowMicros, parsePageRequest } from '@app/common';
import type { Principal } from '@app/auth';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { defaultBrand } from './default-brand';
import { EventsRepository } from './events.repository';
import {
  DEFAULT_EVENT_ORDERING,
  EventListRequest,
  EventPage,
  EventRecord,
  EventWritableFields,
  givenWritableFields,
  NewEvent,
} from './event.types';

/** Who changes the log; kept for the revision history of SPEC §7. */
export type EventActor = Principal | undefined;

/**
 * The events log for the API and for other modules. Values arrive validated (the API's DTOs,
 * or the caller's own code); nothing here sanitises. Expired events (`expires <= now`) do not
 * exist for any method (SPEC §5). Methods that address one event throw the API's 404
 * (`No Event matches the given query.`) when it is not visible.
 */
@Injectable()
export class EventsService {
  constructor(
    private readonly repository: EventsRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Stores a new event; omitted fields get SPEC §3.2's defaults. */
  async create(input: NewEvent, _actor?: EventActor): Promise<EventRecord> {
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
    await this.repository.insert(event);
    // Round-trip through JSON so the caller sees exactly what a later read returns.
    return { ...event, user: clone(event.user), context: clone(event.context), brand: clone(event.brand) };
  }

  findVisible(uuid: string): Promise<EventRecord | null> {
    return this.repository.findVisibleById(uuid, nowMicros());
  }

  async getVisible(uuid: string): Promise<EventRecord> {
    return orNoMatch(await this.findVisible(uuid));
  }

  /** Changes only the given fields (PATCH); no fields → the event as it is. */
  async patch(uuid: string, fields: EventWritableFields, _actor?: EventActor): Promise<EventRecord> {
    const given = givenWritableFields(fields);
    if (Object.keys(given).length === 0) return this.getVisible(uuid);
    if (!(await this.repository.patchFields(uuid, given, nowMicros()))) throw noMatch('Event');
    // Read back by key alone: the update may itself have moved `expires` into the past.
    return orNoMatch(await this.repository.findById(uuid));
  }

  /** PUT: `action` and `app` are required; fields not given keep their values (as in authentik). */
  replace(uuid: string, fields: NewEvent, actor?: EventActor): Promise<EventRecord> {
    return this.patch(uuid, fields, actor);
  }

  async remove(uuid: string, _actor?: EventActor): Promise<void> {
    if (!(await this.repository.deleteVisible(uuid, nowMicros()))) throw noMatch('Event');
  }

  /** One page of visible events; `Invalid page.` past the end, checked before the page is read. */
  async list(request: EventListRequest): Promise<EventPage> {
    const now = nowMicros();
    const count = await this.repository.countVisible({ where: request.where, now });
    const pagination = buildPagination(request.page, count);
    const results =
      count === 0
        ? []
        : await this.repository.listPage({
            where: request.where,
            ordering: request.ordering?.length ? request.ordering : DEFAULT_EVENT_ORDERING,
            limit: request.page.pageSize,
            offset: request.page.offset,
            now,
          });
    return { pagination, results };
  }

  /**
   * The list behind `GET /events/events/` from its raw query parameters. Filters, search and
   * `ordering` (src/events/query) will turn `params` into `where` and `ordering` here.
   */
  listFromQuery(params: Record<string, unknown>): Promise<EventPage> {
    return this.list({ page: parsePageRequest(params) });
  }
}

function orNoMatch(event: EventRecord | null): EventRecord {
  if (!event) throw noMatch('Event');
  return event;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
