import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, PaginationSchema } from '@app/common';
import { EventDto } from '../../../events';
import { SEVERITIES, Severity } from '../../entities/notification.entity';

/** Notification Serializer */
@ApiSchema({ name: 'Notification', description: 'Notification Serializer' })
export class NotificationResponse {
  @ApiProperty({ type: String, format: 'uuid', readOnly: true, title: 'Uuid' })
  pk!: string;

  @ApiProperty({ allOf: [{ $ref: '#/components/schemas/SeverityEnum' }], readOnly: true })
  severity!: Severity;

  @ApiProperty({ type: String, readOnly: true })
  body!: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 4096, required: false })
  hyperlink!: string | null;

  @ApiProperty({ type: String, nullable: true, required: false })
  hyperlink_label!: string | null;

  @ApiProperty({ type: String, format: 'date-time', readOnly: true })
  created!: string;

  /** The event the notification is about; null when it has none, or it expired or was deleted. */
  @ApiProperty({ type: () => EventDto, required: false })
  event!: EventDto | null;

  @ApiProperty({ type: Boolean, required: false })
  seen!: boolean;
}

@ApiSchema({ name: 'PaginatedNotificationList' })
export class PaginatedNotificationList {
  pagination!: PaginationSchema;
  results!: NotificationResponse[];
  autocomplete!: AutocompleteSchema;
}

/** Keeps the severity enum a named component, as authentik's schema has it. */
export const SEVERITY_ENUM = { enum: SEVERITIES, enumName: 'SeverityEnum' } as const;
