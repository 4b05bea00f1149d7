import { Injectable } from '@nestjs/common';
import { buildPagination, nowMicros, parsePageRequest } from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { Dialect } from '../../database/sql';
import { PaginatedEventList, serializeEventPage } from '../dto/paginated-event-list.dto';
import { DEFAULT_EVENT_ORDERING, EventListRequest, EventPage } from '../event.types';
import { EventsRepository } from '../events.repository';
import { Autocomplete, buildAutocomplete, buildListSelection, counterSelection, ListQuery, parseOrdering } from '../query';
import { CachedValue } from './cached-value';

/**
 * How long the `app` options of `autocomplete` are served from memory. They come from the
 * event counters (cheap, see EventsRepository.visibleApps), but they change rarely
 * and only feed an editor's suggestions: refreshed at most once a minute, in the background, so
 * a list request pays no extra round trips for them after the first time.
 */
export const APP_OPTIONS_TTL_MS = 60_000;

/**
 * `GET /events/events/` (docs/api-contract.md §3.3): its query parameters read into a selection (src/events/query),
 * the page and count read through EventsRepository, plus `autocomplete`.
 */
@Injectable()
export class EventListService {
  private readonly appOptions: CachedValue<string[]>;

  constructor(
    private readonly repository: EventsRepository,
    private readonly dialect: Dialect,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.appOptions = new CachedValue(() => repository.visibleApps(nowMicros()), APP_OPTIONS_TTL_MS);
  }

  /** 400 for bad filters, 404 `Invalid page.`, before anything else is read. */
  async page(query: ListQuery): Promise<PaginatedEventList> {
    const page = await this.list(this.listRequest(query));
    // Spread: an interface is not a Record, a plain object literal is.
    return serializeEventPage(page, { ...(await this.autocomplete()) });
  }

  async autocomplete(): Promise<Autocomplete> {
    return buildAutocomplete(await this.appOptions.get());
  }

  /**
   * The list's raw query parameters (docs/api-contract.md §3.3) as a request: the filters and `search`, `ordering`,
   * `page`, `page_size`. The filters are read first, so a bad `actions` is a 400 even on a page
   * that does not exist (DRF filters, then paginates).
   */
  private listRequest(params: ListQuery): EventListRequest {
    const { where, anyOf } = buildListSelection(params, this.dialect);
    return {
      page: parsePageRequest(params, this.config.pagination),
      where,
      anyOf,
      ordering: parseOrdering(params.ordering),
      // Filtered by nothing, action and the model's app/name only: counted from the counters, no scan.
      countFromCounters: counterSelection(params) ?? undefined,
    };
  }

  /** One page of visible events; `Invalid page.` past the end, checked before the page is read. */
  private async list(request: EventListRequest): Promise<EventPage> {
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
}
