import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Group } from './group.entity';
import { User } from './user.entity';

/** Direct membership of a user in a group (authentik's `User.groups`). */
@Entity('group_members')
export class GroupMember {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  groupUuid: string;

  @PrimaryColumn({ type: 'integer' })
  userId: number;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'group_uuid' })
  group?: Group;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
}
