import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, Pagination, PaginationSchema } from '@app/common';
import type { EventPage } from '../event.types';
import { EventDto, serializeEvent } from './event.dto';

@ApiSchema({ name: 'PaginatedEventList' })
export class PaginatedEventList {
  @ApiProperty({ type: () => PaginationSchema }) pagination: Pagination;
  @ApiProperty({ type: () => EventDto, isArray: true }) results: EventDto[];
  @ApiProperty({ type: () => AutocompleteSchema }) autocomplete: AutocompleteSchema;
}

/** The list's body (docs/api-contract.md §3.3); `autocomplete` is supplied by the search language (src/events/query). */
export function serializeEventPage(page: EventPage, autocomplete: Record<string, unknown> = {}): PaginatedEventList {
  return {
    pagination: page.pagination,
    results: page.results.map(serializeEvent),
    autocomplete,
  };
}
