import { Module, OnModuleInit } from '@nestjs/common';
import { InjectDataSource, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.token';
import { Dialect } from '../database/sql';
import { EventsModule, OutboxSql } from '../events';
import { ModelAudit } from '../identity/audit/model-audit';
import { GroupUsedBy } from '../identity/groups/group-used-by';
import { IdentityModule } from '../identity/identity.module';
import { PoliciesModule } from '../policies/policies.module';
import { DeliveriesService } from './deliveries/deliveries.service';
import { DeliveryPlanner } from './delivery/delivery-planner';
import { DeliveryScheduler } from './delivery/delivery-scheduler';
import { DeliverySql } from './delivery/delivery-sql';
import { DeliveryWorker } from './delivery/delivery-worker';
import { NotificationCleanup } from './delivery/notification-cleanup';
import { QueueTransactions } from './delivery/queue-transactions';
import { NotificationDelivery } from './entities/notification-delivery.entity';
import { NotificationRuleTransport } from './entities/notification-rule-transport.entity';
import { NotificationRule } from './entities/notification-rule.entity';
import { Notification } from './entities/notification.entity';
import { NotificationTransport } from './entities/notification-transport.entity';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsService } from './notifications/notifications.service';
import { DeliveryInputs } from './rules/delivery-inputs';
import { bindingsOfGroup, rulesUsingGroup } from './rules/rule-references';
import { RulesController } from './rules/rules.controller';
import { RulesService } from './rules/rules.service';
import { EmailSender } from './senders/email.sender';
import { LocalSender } from './senders/local.sender';
import { NotificationSenders } from './senders/notification-senders';
import { SlackWebhookSender, WebhookSender } from './senders/webhook.sender';
import { TransportsController } from './transports/transports.controller';
import { TransportsService } from './transports/transports.service';

/**
 * Notification transports, rules, notifications and the senders (issue 15). `NotificationSenders`
 * is what the rule pipeline delivers through: one sender per transport mode behind `deliver`;
 * `DeliveryInputs` loads what `planDeliveries` (rules/delivery-plan.ts) decides from. The
 * pipeline (delivery/): the planner turns the events' outbox into `notification_deliveries`
 * rows, the worker sends them, the scheduler runs both off the request path.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([NotificationTransport, Notification, NotificationRule, NotificationRuleTransport, NotificationDelivery]),
    EventsModule.forFeature('authentik.events.api.notification_transports'),
    IdentityModule,
    PoliciesModule,
  ],
  controllers: [TransportsController, NotificationsController, RulesController],
  // ModelAudit records the rules' model events through this module's EventRecorder.
  providers: [
    ModelAudit,
    TransportsService,
    NotificationsService,
    RulesService,
    DeliveryInputs,
    LocalSender,
    WebhookSender,
    SlackWebhookSender,
    EmailSender,
    NotificationSenders,
    DeliveriesService,
    // The delivery pipeline: event_outbox → planner → notification_deliveries → worker → senders.
    {
      provide: QueueTransactions,
      inject: [DataSource, APP_CONFIG],
      useFactory: (dataSource: DataSource, config: AppConfig) => QueueTransactions.for(dataSource, config.database.timeoutMs),
    },
    { provide: OutboxSql, inject: [Dialect], useFactory: (dialect: Dialect) => new OutboxSql(dialect) },
    { provide: DeliverySql, inject: [Dialect], useFactory: (dialect: Dialect) => new DeliverySql(dialect) },
    DeliveryPlanner,
    DeliveryWorker,
    DeliveryScheduler,
    NotificationCleanup,
  ],
  exports: [NotificationSenders, TransportsService, DeliveryInputs],
})
export class NotificationsModule implements OnModuleInit {
  constructor(
    private readonly groupUsedBy: GroupUsedBy,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** A group's `used_by/` lists the rules that notify it (`set_null`) and the bindings to rules that bind it (`cascade`). */
  onModuleInit(): void {
    const m = this.dataSource.manager;
    this.groupUsedBy.register('notificationrule_set', (principal, groupUuid) => rulesUsingGroup(m, principal, groupUuid));
    this.groupUsedBy.register('policybinding_set', (principal, groupUuid) => bindingsOfGroup(m, principal, groupUuid));
  }
}
