import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy } from 'class-validator';
import { BooleanField, CharField, ChoiceField, PatchedType, pkDoesNotExist, uuidPkProblem } from '@app/common';
import { TRANSPORT_MODES, TransportMode } from '../../entities/notification-transport.entity';
import { webhookUrlProblem } from '../transport-rules';

/**
 * A reference to an object this service does not have (property mappings, certificate
 * keypairs): only null is accepted; any id is DRF's "does not exist".
 */
function AbsentRelation(): PropertyDecorator {
  const problem = (value: unknown) => (value === undefined || value === null ? null : (uuidPkProblem(value) ?? pkDoesNotExist(value)));
  return ValidateBy({
    name: 'absentRelation',
    validator: { validate: (value: unknown) => problem(value) === null, defaultMessage: (args) => problem(args?.value) ?? '' },
  });
}

function WebhookUrl(): PropertyDecorator {
  const problem = (value: unknown) => (value === undefined ? null : webhookUrlProblem(value));
  return ValidateBy({
    name: 'webhookUrl',
    validator: { validate: (value: unknown) => problem(value) === null, defaultMessage: (args) => problem(args?.value) ?? '' },
  });
}

const MODE = { enum: TRANSPORT_MODES, enumName: 'TransportModeEnum', required: false } as const;
const URI = { type: String, format: 'uri', required: false } as const;
const relation = (description: string) => ({ type: String, format: 'uuid', nullable: true, required: false, description }) as const;
const CA = relation('When set, the selected certificate is used to validate the certificate of the webhook server.');
const BODY_MAPPING = relation('Customize the body of the request. Mapping should return data that is JSON-serializable.');
const HEADERS_MAPPING = relation('Configure additional headers to be sent. Mapping should return a dictionary of key-value pairs');
const SEND_ONCE = 'Only send notification once, for example when sending a webhook into a chat channel.';
const SIGNING_SECRET = {
  type: String,
  nullable: true,
  required: false,
  writeOnly: true,
  description:
    'eventlog: sign webhooks with this Standard Webhooks secret (`whsec_` and the base64 of 24 to 64 random bytes); ' +
    'requests then carry `webhook-id`, `webhook-timestamp` and `webhook-signature`. Null or "" turns signing off; ' +
    'leaving the field out keeps the current secret. Never returned; see `webhook_signed`.',
} as const;

/** NotificationTransport Serializer */
export class NotificationTransportRequest {
  @CharField({ required: true, maxLength: 255 })
  @ApiProperty({ type: String, minLength: 1 })
  name!: string;

  @ChoiceField(TRANSPORT_MODES)
  @ApiProperty(MODE)
  mode?: TransportMode;

  @WebhookUrl()
  @ApiProperty(URI)
  webhook_url?: string;

  @AbsentRelation()
  @ApiProperty(CA)
  webhook_ca?: string | null;

  @AbsentRelation()
  @ApiProperty(BODY_MAPPING)
  webhook_mapping_body?: string | null;

  @AbsentRelation()
  @ApiProperty(HEADERS_MAPPING)
  webhook_mapping_headers?: string | null;

  @CharField({ allowBlank: true })
  @ApiProperty({ type: String, required: false })
  email_subject_prefix?: string;

  @CharField()
  @ApiProperty({ type: String, minLength: 1, required: false })
  email_template?: string;

  @BooleanField()
  @ApiProperty({ type: Boolean, required: false, description: SEND_ONCE })
  send_once?: boolean;

  @CharField({ nullable: true, allowBlank: true })
  @ApiProperty(SIGNING_SECRET)
  signing_secret?: string | null;
}

/** NotificationTransport Serializer */
export class PatchedNotificationTransportRequest extends PatchedType(NotificationTransportRequest) {}
