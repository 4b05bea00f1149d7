import { Injectable } from '@nestjs/common';
import type { TransportMode } from '../entities/notification-transport.entity';
import { EmailSender } from './email.sender';
import { LocalSender } from './local.sender';
import type { NotificationEvent } from './notification-body';
import type { DeliveryResult, NotificationSender, OutgoingNotification, TransportSettings } from './sender';
import { SlackWebhookSender, WebhookSender } from './webhook.sender';

/**
 * The one way a notification is delivered: picks the sender of the transport's mode. Used by the
 * transport `test/` action, and meant for the rule pipeline's delivery worker.
 */
@Injectable()
export class NotificationSenders {
  private readonly byMode: Record<TransportMode, NotificationSender>;

  constructor(local: LocalSender, webhook: WebhookSender, slack: SlackWebhookSender, email: EmailSender) {
    this.byMode = { local, webhook, webhook_slack: slack, email };
  }

  deliver(transport: TransportSettings, notification: OutgoingNotification, event: NotificationEvent | null): Promise<DeliveryResult> {
    return this.byMode[transport.mode].deliver(transport, notification, event);
  }
}
