import { Column, Entity, JoinColumn, ManyToOne, OneToOne, PrimaryColumn } from 'typeorm';
import { AS_MODEL_REF, ModelEntity, ModelRef, Uuid } from '@app/common';
import { Group } from '../../identity/entities/group.entity';
import { PolicyBindingModel } from '../../policies/entities/policy-binding-model.entity';
import type { Severity } from './notification.entity';

/**
 * A notification rule (`authentik_events.notificationrule`): which events (through the policies
 * bound to it) notify whom (`destination_group`, the event's user) by which transports. It is a
 * policy-binding target: its primary key is a `policy_binding_models` row (authentik's
 * `pbm_uuid`), and deleting that row deletes the rule and its bindings (Django's cascade).
 */
@Entity('notification_rules')
export class NotificationRule implements ModelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  pbmUuid: string;

  @OneToOne(() => PolicyBindingModel, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'pbm_uuid' })
  target?: PolicyBindingModel;

  @Column({ type: 'varchar', length: 255, unique: true })
  name: string;

  @Column({ type: 'varchar', length: 16, default: 'notice' })
  severity: Severity;

  /** Set to null when the group is deleted (authentik's `on_delete=SET_NULL`). */
  @Column({ type: 'varchar', length: 36, nullable: true })
  destinationGroupUuid: string | null;

  @ManyToOne(() => Group, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'destination_group_uuid' })
  destinationGroup?: Group | null;

  @Column({ type: 'boolean', default: false })
  destinationEventUser: boolean;

  [AS_MODEL_REF](): ModelRef {
    return { app: 'authentik_events', model_name: 'notificationrule', pk: new Uuid(this.pbmUuid), name: `Notification Rule ${this.name}` };
  }
}
