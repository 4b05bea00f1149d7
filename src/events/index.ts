/**
 * The events module's public surface, all another module imports (README, "Recording events from
 * another module"): `EventsModule.forFeature('<app>')` in its imports gives it an `EventRecorder`
 * (and `EventsService`); `@RequestEvents()` gives a controller the recorder bound to the request.
 * `record()` resolves to an `EventDto`, the event as the API shows it. Data exports (src/exports)
 * also read events through the keyset stream and the list filters below. The rest of src/events
 * is the events feature's own.
 */
export { EventsModule } from './events.module';
export { EventsService } from './events.service';
export { EventDto, serializeEvent } from './dto/event.dto';
export { EventRequest } from './dto/event-request.dto';
export type { EventRecord } from './event.types';
export * from './recording';
export { buildListFilter } from './query';
export type { ListQuery } from './query';
export { EventStreamModule } from './stream/event-stream.module';
export { EventStreamService } from './stream/event-stream.service';
export type { OpenedStream } from './stream/event-stream.service';
export { csvHeaderLine, csvLines } from './stream/event-csv';
export { ApiEventListFilters } from './stream/event-filter-docs';
export { EVENT_ACTIONS } from './event-actions';
// The search language evaluated against one event (event-matcher policies).
export { QueryLanguageError } from './query/search/ast';
export { parseQuery } from './query/search/parser';
export { matchesQuery } from './query/search/evaluate';
export type { QueryableEvent } from './query/search/evaluate';
// The "event saved" journal (event_outbox) for its consumer, the notification rules.
export { EventSaves } from './outbox/event-saves';
export { OutboxSql, toOutboxEntry } from './outbox/outbox-sql';
export type { OutboxEntry } from './outbox/outbox-sql';
