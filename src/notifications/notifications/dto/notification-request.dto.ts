import { ApiProperty } from '@nestjs/swagger';
import { BooleanField, CharField, NestedObjectField } from '@app/common';
import { EventRequest } from '../../../events';

const HYPERLINK = { type: String, nullable: true, maxLength: 4096, required: false } as const;
const LABEL = { type: String, nullable: true, required: false } as const;
/**
 * authentik declares `event` writable, but a body that holds one fails there (nested writes are
 * not supported, a 500); here it must still be an object, as DRF checks first, and is then ignored
 * like any read-only key.
 */
const EVENT = { type: () => EventRequest, required: false };

/** Notification Serializer */
export class NotificationRequest {
  @CharField({ nullable: true, allowBlank: true, maxLength: 4096 })
  @ApiProperty(HYPERLINK)
  hyperlink?: string | null;

  @CharField({ nullable: true, allowBlank: true })
  @ApiProperty(LABEL)
  hyperlink_label?: string | null;

  @NestedObjectField()
  @ApiProperty(EVENT)
  event?: unknown;

  @BooleanField()
  @ApiProperty({ type: Boolean, required: false })
  seen?: boolean;
}

/** Notification Serializer */
export class PatchedNotificationRequest extends NotificationRequest {}
