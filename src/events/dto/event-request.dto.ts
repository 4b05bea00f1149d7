import { ApiSchema } from '@nestjs/swagger';
import type { Micros } from '@app/common';
import type { EventAction } from '../event-actions';
import type { JsonObject } from '../event.types';
import { ActionProperty, AppProperty, ClientIpProperty, ExpiresProperty, JsonDictProperty } from './event-field.decorators';

/**
 * Body of POST and PUT: `action` and `app` required, the rest optional. After the pipe,
 * `expires` holds microseconds and `app`/`client_ip` are trimmed.
 */
@ApiSchema({ name: 'EventRequest', description: 'Event Serializer' })
export class EventRequest {
  @JsonDictProperty() user?: JsonObject;
  @ActionProperty() action: EventAction;
  @AppProperty() app: string;
  @JsonDictProperty() context?: JsonObject;
  @ClientIpProperty() client_ip?: string | null;
  @ExpiresProperty() expires?: Micros;
  @JsonDictProperty() brand?: JsonObject;
}
