import { BooleanField, CharField, ChoiceField, ListField, PatchedType, uuidPkProblem } from '@app/common';
import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { SEVERITIES, Severity } from '../../entities/notification.entity';

const TRANSPORTS_HELP =
  'Select which transports should be used to notify the user. If none are selected, the notification will only be shown in the authentik UI.';
const SEVERITY_HELP = 'Controls which severity level the created notifications will have.';
const GROUP_HELP = "Define which group of users this notification should be sent and shown to. If left empty, Notification won't ben sent.";
const EVENT_USER_HELP =
  'When enabled, notification will be sent to user the user that triggered the event.When destination_group is configured, notification is sent to both.';

/** `destination_group`: null or a UUID (its existence is the service's check). */
function NullableUuidPk(): PropertyDecorator {
  const problem = (value: unknown) => (value === undefined || value === null ? null : uuidPkProblem(value));
  return ValidateBy({
    name: 'nullableUuidPk',
    validator: { validate: (value: unknown) => problem(value) === null, defaultMessage: (args) => problem(args?.value) ?? '' },
  });
}

const Transports = ListField(uuidPkProblem);
const TRANSPORTS_DOC = { type: 'array', items: { type: 'string', format: 'uuid' }, required: false, description: TRANSPORTS_HELP } as const;
const SEVERITY_DOC = { allOf: [{ $ref: '#/components/schemas/SeverityEnum' }], required: false, description: SEVERITY_HELP };
const GROUP_DOC = { type: 'string', format: 'uuid', nullable: true, required: false, description: GROUP_HELP } as const;
const EVENT_USER_DOC = { type: Boolean, required: false, description: EVENT_USER_HELP } as const;

/** NotificationRule Serializer */
export class NotificationRuleRequest {
  @CharField({ required: true, maxLength: 255 })
  @ApiProperty({ type: String, minLength: 1 })
  name!: string;

  @Transports
  @ApiProperty(TRANSPORTS_DOC)
  transports?: string[];

  @ChoiceField(SEVERITIES)
  @ApiProperty(SEVERITY_DOC)
  severity?: Severity;

  @NullableUuidPk()
  @ApiProperty(GROUP_DOC)
  destination_group?: string | null;

  @BooleanField()
  @ApiProperty(EVENT_USER_DOC)
  destination_event_user?: boolean;
}

/** NotificationRule Serializer */
export class PatchedNotificationRuleRequest extends PatchedType(NotificationRuleRequest) {}
