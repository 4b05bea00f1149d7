import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Role } from './role.entity';

/** A global permission (`authentik_events.view_event`) granted to a role. */
@Entity('role_permissions')
export class RolePermission {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  roleUuid: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  codename: string;

  @ManyToOne(() => Role, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_uuid' })
  role?: Role;
}
