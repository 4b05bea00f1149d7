import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Group } from './group.entity';

/** An edge of the group hierarchy: a group may have several parents (authentik 2025.12+). */
@Entity('group_parents')
export class GroupParent {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  childUuid: string;

  @PrimaryColumn({ type: 'varchar', length: 36 })
  parentUuid: string;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'child_uuid' })
  child?: Group;

  @ManyToOne(() => Group, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'parent_uuid' })
  parent?: Group;
}
