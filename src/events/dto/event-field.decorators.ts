import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CharField, ChoiceField, DateTimeField, DictField, IpAddressField } from '@app/common';
import { EVENT_ACTIONS } from '../event-actions';

/*
 * Each writable Event field once: its DRF validation (authentik's EventSerializer) and its
 * OpenAPI shape (the reference's EventRequest / PatchedEventRequest). `required` is the only
 * difference between POST/PUT and PATCH bodies.
 */

/** authentik's JSONDictField: a JSON object, documented as `type: object`. */
export const JsonDictProperty = () =>
  applyDecorators(ApiPropertyOptional({ type: 'object', additionalProperties: {} }), DictField());

export const ActionProperty = (required: boolean) =>
  applyDecorators(
    ApiProperty({ enum: EVENT_ACTIONS, enumName: 'EventActions', required }),
    ChoiceField(EVENT_ACTIONS, { required }),
  );

export const AppProperty = (required: boolean) =>
  applyDecorators(ApiProperty({ type: 'string', minLength: 1, required }), CharField({ required, minLength: 1 }));

export const ClientIpProperty = () =>
  applyDecorators(
    ApiProperty({ type: 'string', nullable: true, minLength: 1, required: false }),
    IpAddressField({ nullable: true }),
  );

export const ExpiresProperty = () =>
  applyDecorators(ApiProperty({ type: 'string', format: 'date-time', required: false }), DateTimeField());
