import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, Pagination, PaginationSchema } from '@app/common';
import type { EventRow } from '../event-row';
import { EventDto, eventJson } from './event.dto';

@ApiSchema({ name: 'PaginatedEventList' })
export class PaginatedEventList {
  @ApiProperty({ type: () => PaginationSchema }) pagination: Pagination;
  @ApiProperty({ type: () => EventDto, isArray: true }) results: EventDto[];
  @ApiProperty({ type: () => AutocompleteSchema }) autocomplete: AutocompleteSchema;
}

/** One page of the list: its events as stored rows. */
export interface EventPage {
  pagination: Pagination;
  rows: EventRow[];
}

/**
 * The list's body (docs/api-contract.md §3.3) as JSON text, each event written from its row by
 * `eventJson`: a PaginatedEventList. `autocomplete` is supplied by the search language (src/events/query).
 */
export function eventPageJson(page: EventPage, autocomplete: Record<string, unknown> = {}): string {
  return `{"pagination":${JSON.stringify(page.pagination)},"results":[${page.rows.map(eventJson).join(',')}],"autocomplete":${JSON.stringify(autocomplete)}}`;
}
