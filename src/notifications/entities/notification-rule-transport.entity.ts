import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { NotificationRule } from './notification-rule.entity';
import { NotificationTransport } from './notification-transport.entity';

/**
 * A rule's use of a transport (authentik's `NotificationRuleNotificationTransport`). Deleting
 * either side deletes the row: a deleted transport just leaves the rules that used it.
 * `position` keeps the order the transports were given in, the order delivery walks them.
 */
@Entity('notification_rule_transports')
export class NotificationRuleTransport {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  ruleUuid: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  transportUuid: string;

  @Column({ type: 'integer' })
  position: number;

  @ManyToOne(() => NotificationRule, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'rule_uuid' })
  rule?: NotificationRule;

  @ManyToOne(() => NotificationTransport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'transport_uuid' })
  transport?: NotificationTransport;
}
