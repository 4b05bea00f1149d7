import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventsModule } from '../events';
import { IdentityModule } from '../identity/identity.module';
import { Notification } from './entities/notification.entity';
import { NotificationTransport } from './entities/notification-transport.entity';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsService } from './notifications/notifications.service';
import { EmailSender } from './senders/email.sender';
import { LocalSender } from './senders/local.sender';
import { NotificationSenders } from './senders/notification-senders';
import { SlackWebhookSender, WebhookSender } from './senders/webhook.sender';
import { TransportsController } from './transports/transports.controller';
import { TransportsService } from './transports/transports.service';

/**
 * Notification transports, notifications and the senders (issue 15). `NotificationSenders` is
 * what the rule pipeline delivers through: one sender per transport mode behind `deliver`.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([NotificationTransport, Notification]),
    EventsModule.forFeature('authentik.events.api.notification_transports'),
    IdentityModule,
  ],
  controllers: [TransportsController, NotificationsController],
  providers: [TransportsService, NotificationsService, LocalSender, WebhookSender, SlackWebhookSender, EmailSender, NotificationSenders],
  exports: [NotificationSenders, TransportsService],
})
export class NotificationsModule {}
