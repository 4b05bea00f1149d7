import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { nowMicros } from '@app/common';
import { Notification } from '../entities/notification.entity';
import type { NotificationEvent } from './notification-body';
import type { DeliveryResult, NotificationSender, OutgoingNotification, TransportSettings } from './sender';

/**
 * `local`: stores the notification for its recipient. Stored under the notification's uuid, so
 * delivering the same notification again (a retry) stores nothing new.
 */
@Injectable()
export class LocalSender implements NotificationSender {
  readonly mode = 'local';

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async deliver(
    _transport: TransportSettings,
    notification: OutgoingNotification,
    event: NotificationEvent | null,
  ): Promise<DeliveryResult> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(Notification)
      .values({
        uuid: notification.uuid,
        severity: notification.severity,
        body: notification.body,
        hyperlink: notification.hyperlink,
        hyperlinkLabel: notification.hyperlinkLabel,
        created: nowMicros(),
        eventUuid: event?.pk ?? null,
        seen: false,
        userId: notification.recipient.pk,
      })
      .orIgnore()
      .execute();
    return { messages: [] };
  }
}
