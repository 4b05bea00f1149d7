import { Injectable } from '@nestjs/common';
import { PaginatedEventList, serializeEventPage } from '../dto/paginated-event-list.dto';
import { EventsService } from '../events.service';
import { Autocomplete, buildAutocomplete, ListQuery } from '../query';
import { CachedValue } from './cached-value';

/**
 * How long the `app` options of `autocomplete` are served from memory. They come from the
 * event counters (cheap, see EventsRepository.visibleApps), but they change rarely
 * and only feed an editor's suggestions: refreshed at most once a minute, in the background, so
 * a list request pays no extra round trips for them after the first time.
 */
export const APP_OPTIONS_TTL_MS = 60_000;

/** `GET /events/events/` (SPEC §3.3): the page from EventsService, plus `autocomplete`. */
@Injectable()
export class EventListService {
  private readonly appOptions: CachedValue<string[]>;

  constructor(private readonly events: EventsService) {
    this.appOptions = new CachedValue(() => events.visibleApps(), APP_OPTIONS_TTL_MS);
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
