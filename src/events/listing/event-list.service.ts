import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { nowMicros } from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { PaginatedEventList, serializeEventPage } from '../dto/paginated-event-list.dto';
import { EventsService } from '../events.service';
import { appOptionsQuery, Autocomplete, buildAutocomplete, ListQuery, toAppOptions } from '../query';
import { CachedValue } from './cached-value';

/**
 * How long the `app` options of `autocomplete` are served from memory. Listing the distinct
 * `app` values reads every row (`app` has no index), which on tens of millions of rows takes
 * seconds; they change rarely and only feed an editor's suggestions, so they are refreshed at
 * most once a minute, in the background, and the list never waits for them after the first time.
 */
export const APP_OPTIONS_TTL_MS = 60_000;

/** `GET /events/events/` (SPEC §3.3): the page from EventsService, plus `autocomplete`. */
@Injectable()
export class EventListService {
  private readonly appOptions: CachedValue<string[]>;

  constructor(
    private readonly events: EventsService,
    dataSource: DataSource,
    @InjectConfig() config: AppConfig,
  ) {
    this.appOptions = new CachedValue(async () => {
      const query = appOptionsQuery(config.database.type, nowMicros());
      return toAppOptions(await dataSource.query(query.sql, query.params));
    }, APP_OPTIONS_TTL_MS);
  }

  /** 400 for bad filters, 404 `Invalid page.`, before anything else is read. */
  async page(query: ListQuery): Promise<PaginatedEventList> {
    const page = await this.events.listFromQuery(query);
    // Spread: an interface is not a Record, a plain object literal is.
    return serializeEventPage(page, { ...(await this.autocomplete()) });
  }

  async autocomplete(): Promise<Autocomplete> {
    return buildAutocomplete(await this.appOptions.get());
  }
}
