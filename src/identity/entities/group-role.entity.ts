import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Group } from './group.entity';
import { Role } from './role.entity';

/** A role held by a group: its members (and members of its descendants) get its permissions. */
@Entity('group_roles')
export class GroupRole {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  groupUuid: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  roleUuid: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_uuid' })
  group?: Group;

  @ManyToOne(() => Role, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_uuid' })
  role?: Role;
}
