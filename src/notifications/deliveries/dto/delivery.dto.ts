import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, PaginationSchema } from '@app/common';
import { DELIVERY_STATUSES, DeliveryStatus } from '../../entities/notification-delivery.entity';
import { SEVERITIES, Severity } from '../../entities/notification.entity';

/** eventlog's delivery log: one delivery of one notification by one transport (not in authentik). */
@ApiSchema({ name: 'NotificationDelivery', description: 'eventlog: one delivery of a notification by a transport, with its attempts' })
export class NotificationDeliveryResponse {
  @ApiProperty({
    type: String,
    format: 'uuid',
    readOnly: true,
    description: 'Derived from the idempotency key; the webhook-id / Idempotency-Key header and the local notification uuid',
  })
  pk!: string;

  @ApiProperty({ type: String, readOnly: true, description: '<event uuid>/<revision>/<rule pk>/<transport pk>/<user:pk | member:pk>' })
  idempotency_key!: string;

  @ApiProperty({ type: String, format: 'uuid', readOnly: true })
  event!: string;

  @ApiProperty({ type: String, readOnly: true, description: 'Hash of the event revision the delivery is about' })
  revision!: string;

  @ApiProperty({ type: String, format: 'uuid', readOnly: true })
  rule!: string;

  @ApiProperty({ type: Number, readOnly: true, description: 'The recipient (user pk)' })
  user!: number;

  @ApiProperty({ enum: SEVERITIES, enumName: 'SeverityEnum', readOnly: true })
  severity!: Severity;

  @ApiProperty({ enum: DELIVERY_STATUSES, enumName: 'NotificationDeliveryStatusEnum', readOnly: true })
  status!: DeliveryStatus;

  @ApiProperty({ type: Number, readOnly: true, description: 'Attempts started so far' })
  attempts!: number;

  @ApiProperty({ type: String, nullable: true, readOnly: true, description: 'What the last failed attempt answered' })
  last_error!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    readOnly: true,
    description: 'While pending: when it is (next) due; null once finished',
  })
  next_retry!: string | null;

  @ApiProperty({ type: String, format: 'date-time', readOnly: true })
  created!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, readOnly: true, description: 'When it was delivered or given up' })
  finished!: string | null;
}

@ApiSchema({ name: 'PaginatedNotificationDeliveryList' })
export class PaginatedNotificationDeliveryList {
  pagination!: PaginationSchema;
  results!: NotificationDeliveryResponse[];
  autocomplete!: AutocompleteSchema;
}
