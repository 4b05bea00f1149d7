import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Something policies can be bound to (authentik's `PolicyBindingModel`, keyed by `pbm_uuid`). A
 * feature whose objects take bindings (notification rules) registers each of them here, under
 * the object's own primary key, through `PolicyTargets`; deleting the row deletes its bindings.
 */
@Entity('policy_binding_models')
export class PolicyBindingModel {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  pbmUuid: string;

  /** What the target is, `<app_label>.<model_name>` (e.g. `authentik_events.notificationrule`). */
  @Column({ type: 'varchar', length: 100 })
  kind: string;
}
