import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, PaginationSchema } from '@app/common';
import { TRANSPORT_MODES, TransportMode } from '../../entities/notification-transport.entity';

const relation = (description: string) => ({ type: String, format: 'uuid', nullable: true, required: false, description }) as const;

/** NotificationTransport Serializer */
@ApiSchema({ name: 'NotificationTransport', description: 'NotificationTransport Serializer' })
export class NotificationTransportResponse {
  @ApiProperty({ type: String, format: 'uuid', readOnly: true, title: 'Uuid' })
  pk!: string;

  @ApiProperty({ type: String })
  name!: string;

  @ApiProperty({ enum: TRANSPORT_MODES, enumName: 'TransportModeEnum', required: false })
  mode!: TransportMode;

  @ApiProperty({ type: String, readOnly: true, description: 'Return selected mode with a UI Label' })
  mode_verbose!: string;

  @ApiProperty({ type: String, format: 'uri', required: false })
  webhook_url!: string;

  @ApiProperty(relation('When set, the selected certificate is used to validate the certificate of the webhook server.'))
  webhook_ca!: string | null;

  @ApiProperty(relation('Customize the body of the request. Mapping should return data that is JSON-serializable.'))
  webhook_mapping_body!: string | null;

  @ApiProperty(relation('Configure additional headers to be sent. Mapping should return a dictionary of key-value pairs'))
  webhook_mapping_headers!: string | null;

  @ApiProperty({ type: String, required: false })
  email_subject_prefix!: string;

  @ApiProperty({ type: String, required: false })
  email_template!: string;

  @ApiProperty({
    type: Boolean,
    required: false,
    description: 'Only send notification once, for example when sending a webhook into a chat channel.',
  })
  send_once!: boolean;

  @ApiProperty({
    type: Boolean,
    readOnly: true,
    required: false,
    description: 'eventlog: whether webhooks of this transport are signed (Standard Webhooks); set through `signing_secret`.',
  })
  webhook_signed!: boolean;
}

@ApiSchema({ name: 'PaginatedNotificationTransportList' })
export class PaginatedNotificationTransportList {
  pagination!: PaginationSchema;
  results!: NotificationTransportResponse[];
  autocomplete!: AutocompleteSchema;
}

/** Notification test serializer */
@ApiSchema({ name: 'NotificationTransportTest', description: 'Notification test serializer' })
export class NotificationTransportTestResponse {
  /** null when an email transport's recipient has no address (as authentik answers). */
  @ApiProperty({ type: [String] })
  messages!: string[];
}
