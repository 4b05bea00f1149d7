import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Role } from './role.entity';
import { User } from './user.entity';

/** Membership of a user in a role. */
@Entity('role_members')
export class RoleMember {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  roleUuid: string;

  @PrimaryColumn({ type: 'integer' })
  userId: number;

  @ManyToOne(() => Role, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'role_uuid' })
  role?: Role;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
}
