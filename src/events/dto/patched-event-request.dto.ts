import { ApiSchema } from '@nestjs/swagger';
import { PatchedType } from '@app/common';
import { EventRequest } from './event-request.dto';

/** Body of PATCH (the seed): any subset of the writable fields, each checked as in `EventRequest`. */
@ApiSchema({ name: 'PatchedEventRequest', description: 'Event Serializer' })
export class PatchedEventRequest extends PatchedType(EventRequest) {}
