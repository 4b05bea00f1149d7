import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { formatMicros } from '@app/common';
import { EVENT_ACTIONS } from '../event-actions';
import type { EventRecord, JsonObject } from '../event.types';

/** The Event as the API writes it; the class only describes the schema. */
@ApiSchema({ name: 'Event', description: 'Event Serializer' })
export class EventDto {
  @ApiProperty({ type: 'string', format: 'uuid', readOnly: true, title: 'Event uuid' }) pk: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: {} }) user: JsonObject;
  @ApiProperty({ enum: EVENT_ACTIONS, enumName: 'EventActions' }) action: string;
  @ApiProperty({ type: 'string' }) app: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: {} }) context: JsonObject;
  @ApiProperty({ type: 'string', nullable: true, required: false }) client_ip: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', readOnly: true }) created: string;
  @ApiProperty({ type: 'string', format: 'date-time', required: false }) expires: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: {} }) brand: JsonObject;
}

/** Always the nine keys, in authentik's order (docs/api-contract.md §2); datetimes with microseconds and `Z`. */
export function serializeEvent(event: EventRecord): EventDto {
  return {
    pk: event.uuid,
    user: event.user,
    action: event.action,
    app: event.app,
    context: event.context,
    client_ip: event.client_ip,
    created: formatMicros(event.created)!,
    expires: formatMicros(event.expires)!,
    brand: event.brand,
  };
}
