import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { UuidField } from '@app/common';
import { EventRequest } from '../dto/event-request.dto';

/**
 * One item of a bulk ingest: authentik's EventRequest, and optionally the event's id. An importer
 * that keeps the ids of its source can send a batch again after a failure without storing
 * anything twice: a taken id is refused (and so the whole batch), never stored again.
 */
@ApiSchema({ name: 'BulkEventRequest', description: 'An event to store; `pk` is optional (a new UUID when left out)' })
export class BulkEventRequest extends EventRequest {
  @ApiPropertyOptional({ type: 'string', format: 'uuid', description: 'The id of the new event; must not be taken' })
  @UuidField()
  pk?: string;
}
