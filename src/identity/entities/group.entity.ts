import { Column, Entity, PrimaryColumn } from 'typeorm';
import { AS_MODEL_REF, ModelEntity, ModelRef } from '@app/common';
import { groupModelRef } from '../audit/model-refs';

/**
 * A group of users (`authentik_core.group`). Members of an `is_superuser` group, directly or
 * through a descendant group, are superusers; the roles of a group and of its ancestors give
 * their permissions to its members.
 */
@Entity('groups')
export class Group implements ModelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  groupUuid: string;

  @Column({ type: 'varchar', length: 255, unique: true })
  name: string;

  @Column({ type: 'boolean', default: false })
  isSuperuser: boolean;

  /** Free-form JSON object, stored as text. */
  @Column({ type: 'simple-json' })
  attributes: Record<string, unknown>;

  [AS_MODEL_REF](): ModelRef {
    return groupModelRef(this);
  }
}
