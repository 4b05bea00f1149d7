import { ApiSchema } from '@nestjs/swagger';
import type { Micros } from '@app/common';
import type { EventAction } from '../event-actions';
import type { JsonObject } from '../event.types';
import {
  ActionProperty,
  AppProperty,
  ClientIpProperty,
  ExpiresProperty,
  JsonDictProperty,
} from './event-field.decorators';

/** Body of PATCH (the seed): any subset of the writable fields. */
@ApiSchema({ name: 'PatchedEventRequest', description: 'Event Serializer' })
export class PatchedEventRequest {
  @JsonDictProperty() user?: JsonObject;
  @ActionProperty(false) action?: EventAction;
  @AppProperty(false) app?: string;
  @JsonDictProperty() context?: JsonObject;
  @ClientIpProperty() client_ip?: string | null;
  @ExpiresProperty() expires?: Micros;
  @JsonDictProperty() brand?: JsonObject;
}
