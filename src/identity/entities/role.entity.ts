import { Column, Entity, PrimaryColumn } from 'typeorm';
import { AS_MODEL_REF, ModelEntity, ModelRef } from '@app/common';
import { roleModelRef } from '../audit/model-refs';

/** A named set of global permissions that users are members of (`authentik_rbac.role`). */
@Entity('roles')
export class Role implements ModelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  uuid: string;

  @Column({ type: 'varchar', length: 150, unique: true })
  name: string;

  [AS_MODEL_REF](): ModelRef {
    return roleModelRef(this);
  }
}
