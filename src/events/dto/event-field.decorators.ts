import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CharField, ChoiceField, DateTimeField, DictField, IpAddressField } from '@app/common';
import { EVENT_ACTIONS } from '../event-actions';

/*
 * Each writable Event field once: its DRF validation (authentik's EventSerializer) and its
 * OpenAPI shape (the reference's EventRequest). PatchedEventRequest derives the PATCH form
 * (`PatchedType`: every field optional, `null` still refused where it is here).
 */

/** authentik's JSONDictField: a JSON object, documented as `type: object`. */
export const JsonDictProperty = () => applyDecorators(ApiPropertyOptional({ type: 'object', additionalProperties: {} }), DictField());

export const ActionProperty = () =>
  applyDecorators(
    ApiProperty({ enum: EVENT_ACTIONS, enumName: 'EventActions', required: true }),
    ChoiceField(EVENT_ACTIONS, { required: true }),
  );

export const AppProperty = () =>
  applyDecorators(ApiProperty({ type: 'string', minLength: 1, required: true }), CharField({ required: true, minLength: 1 }));

export const ClientIpProperty = () =>
  applyDecorators(ApiProperty({ type: 'string', nullable: true, minLength: 1, required: false }), IpAddressField({ nullable: true }));

export const ExpiresProperty = () =>
  applyDecorators(ApiProperty({ type: 'string', format: 'date-time', required: false }), DateTimeField());
