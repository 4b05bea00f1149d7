import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A named set of global permissions that users are members of (`authentik_rbac.role`). */
@Entity('roles')
export class Role {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  uuid: string;

  @Column({ type: 'varchar', length: 150, unique: true })
  name: string;
}
