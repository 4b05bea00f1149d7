import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AS_MODEL_REF, microsColumn, ModelEntity, ModelRef, Uuid } from '@app/common';
import { Group } from '../../identity/entities/group.entity';
import { User } from '../../identity/entities/user.entity';
import { EventMatcherPolicy } from './event-matcher-policy.entity';
import { PolicyBindingModel } from './policy-binding-model.entity';

/** Binds exactly one of a policy, a group or a user to a target (`authentik_policies.policybinding`). */
@Entity('policy_bindings')
export class PolicyBinding implements ModelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  policyBindingUuid: string;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  @Column({ type: 'varchar', length: 36, nullable: true })
  policyUuid: string | null;

  @ManyToOne(() => EventMatcherPolicy, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'policy_uuid' })
  policy?: EventMatcherPolicy | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  groupUuid: string | null;

  @ManyToOne(() => Group, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'group_uuid' })
  group?: Group | null;

  @Column({ type: 'integer', nullable: true })
  userId: number | null;

  @ManyToOne(() => User, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'user_id' })
  user?: User | null;

  @Column({ type: 'varchar', length: 36 })
  targetUuid: string;

  @ManyToOne(() => PolicyBindingModel, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'target_uuid' })
  target?: PolicyBindingModel;

  @Column({ type: 'boolean', default: false })
  negate: boolean;

  /** Seconds. */
  @Column({ type: 'integer', default: 30 })
  timeout: number;

  @Column({ type: 'boolean', default: false })
  failureResult: boolean;

  /** authentik's `order` (a reserved word in SQL, hence the column name). */
  @Column({ type: 'integer', name: 'position' })
  order: number;

  @Column(microsColumn({ nullable: true }))
  expires: number | null;

  @Column({ type: 'boolean', default: false })
  expiring: boolean;

  [AS_MODEL_REF](): ModelRef {
    return {
      app: 'authentik_policies',
      model_name: 'policybinding',
      pk: new Uuid(this.policyBindingUuid),
      name: `Policy binding ${this.policyBindingUuid}`,
    };
  }
}
