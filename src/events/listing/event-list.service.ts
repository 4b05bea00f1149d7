import { Injectable } from '@nestjs/common';
import { buildPagination, nowMicros, parsePageRequest } from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { and, Dialect, sql, TRUE } from '../../database/sql';
import { EventPage, eventPageJson } from '../dto/paginated-event-list.dto';
import { DEFAULT_EVENT_ORDERING, EventListRequest, EventSortKey } from '../event.types';
import { EventsRepository } from '../events.repository';
import { Autocomplete, buildAutocomplete, buildListSelection, countSelected, customActionsIn, ListQuery, parseOrdering } from '../query';
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

  /** The body of a PaginatedEventList as JSON text. 400 for bad filters, 404 `Invalid page.`, before anything else is read. */
  async pageJson(query: ListQuery): Promise<string> {
    const page = await this.list(this.listRequest(query));
    // Spread: an interface is not a Record, a plain object literal is.
    return eventPageJson(page, { ...(await this.autocomplete()) });
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
    const { where, anyOf, counters, semijoins, newestOnly, anyOfGivenCustomActions } = buildListSelection(params, this.dialect);
    return {
      page: parsePageRequest(params, this.config.pagination),
      where,
      anyOf,
      semijoins,
      newestOnly,
      ordering: parseOrdering(params.ordering),
      // Filtered by nothing, or only by what the counters decide (action, the model's app/name,
      // also as search terms): counted from the counters, no scan.
      countFromCounters: counters,
      anyOfGivenCustomActions,
    };
  }

  /** One page of visible events; `Invalid page.` past the end, checked before the page is read. */
  private async list(listRequest: EventListRequest): Promise<EventPage> {
    const now = nowMicros();
    const request = await this.boundedToNewest(listRequest);
    let count: number;
    let anyOf = request.anyOf;
    if (request.countFromCounters) {
      const parts = await this.repository.modelCountParts(now);
      count = countSelected(parts, request.countFromCounters);
      if (request.anyOfGivenCustomActions) anyOf = request.anyOfGivenCustomActions(customActionsIn(parts));
    } else {
      count = await this.repository.countVisible({ where: request.where, anyOf, now });
    }
    const pagination = buildPagination(request.page, count);
    const ordering = request.ordering?.length ? request.ordering : DEFAULT_EVENT_ORDERING;
    const { pageSize: limit, offset } = request.page;
    const rows =
      count === 0
        ? []
        : await this.repository.listPage({
            where: request.where,
            anyOf,
            ordering,
            limit,
            offset,
            now,
            semijoinsRowByRow: request.semijoins === true && semijoinsRowByRow(ordering, offset + limit, count),
          });
    return { pagination, rows };
  }

  /**
   * A plain word search reads only the newest `newestOnly` events: their oldest `created`,
   * found in idx_events_created first (an index walk of that many entries), bounds the rows the
   * search reads to an index range.
   */
  private async boundedToNewest(request: EventListRequest): Promise<EventListRequest> {
    if (request.newestOnly === undefined) return request;
    const oldest = await this.repository.createdOfNewest(request.newestOnly);
    if (oldest === null) return request;
    return { ...request, where: and(sql`${this.dialect.column('created')} >= ${oldest}`, request.where ?? TRUE) };
  }
}

/**
 * The least share of the walked rows that must match for a page's semijoins to be checked row
 * by row (Dialect.semijoinsRowByRow). Measured on MariaDB 10.11 with 1M events: one row-by-row
 * check (an index lookup) costs about 40 times one entry of an index range read whole.
 */
export const ROW_BY_ROW_MIN_DENSITY = 1 / 50;

/**
 * Whether the page's semijoins should be checked row by row, stopping after the page, rather
 * than by reading their index ranges whole first. Only when the walk is in `created` order
 * (every list index gives it), so that it can stop; and when it stops early: with `count`
 * matches among the W rows walked, the page's last row comes after about
 * `rowsNeeded * W / count` checks, while reading the ranges whole costs about W / 40 checks.
 * (`action = "login"` next to a model filter that no login has would otherwise check every login.)
 */
export function semijoinsRowByRow(ordering: readonly EventSortKey[], rowsNeeded: number, count: number): boolean {
  return ordering[0]?.column === 'created' && rowsNeeded <= count * ROW_BY_ROW_MIN_DENSITY;
}
