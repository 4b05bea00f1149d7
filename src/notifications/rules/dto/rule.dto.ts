import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, PaginationSchema } from '@app/common';
import { GroupResponse } from '../../../identity/groups/dto/group.dto';
import type { Severity } from '../../entities/notification.entity';

/** NotificationRule Serializer */
@ApiSchema({ name: 'NotificationRule', description: 'NotificationRule Serializer' })
export class NotificationRuleResponse {
  @ApiProperty({ type: String, format: 'uuid', readOnly: true, title: 'Pbm uuid' })
  pk!: string;

  @ApiProperty({ type: String })
  name!: string;

  @ApiProperty({
    type: 'array',
    items: { type: 'string', format: 'uuid' },
    required: false,
    description:
      'Select which transports should be used to notify the user. If none are selected, the notification will only be shown in the authentik UI.',
  })
  transports!: string[];

  @ApiProperty({
    allOf: [{ $ref: '#/components/schemas/SeverityEnum' }],
    required: false,
    description: 'Controls which severity level the created notifications will have.',
  })
  severity!: Severity;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    required: false,
    description: "Define which group of users this notification should be sent and shown to. If left empty, Notification won't ben sent.",
  })
  destination_group!: string | null;

  @ApiProperty({ allOf: [{ $ref: '#/components/schemas/Group' }], readOnly: true, nullable: true })
  destination_group_obj!: GroupResponse | null;

  @ApiProperty({
    type: Boolean,
    required: false,
    description:
      'When enabled, notification will be sent to user the user that triggered the event.When destination_group is configured, notification is sent to both.',
  })
  destination_event_user!: boolean;
}

@ApiSchema({ name: 'PaginatedNotificationRuleList' })
export class PaginatedNotificationRuleList {
  pagination!: PaginationSchema;
  results!: NotificationRuleResponse[];
  autocomplete!: AutocompleteSchema;
}
