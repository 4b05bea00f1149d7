import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { AS_MODEL_REF, AS_USER_SNAPSHOT, microsColumn, ModelEntity, ModelRef, UserEntity, UserSnapshot } from '@app/common';
import { userModelRef, userSnapshot } from '../audit/model-refs';

/**
 * A person or service account (authentik's `authentik_core.user`). In event data it becomes the
 * user snapshot; model events name it by its model reference.
 */
@Entity('users')
export class User implements UserEntity, ModelEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column({ type: 'varchar', length: 36, unique: true })
  uuid: string;

  @Column({ type: 'varchar', length: 150, unique: true })
  username: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'varchar', length: 254, default: '' })
  email: string;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column(microsColumn({ nullable: true }))
  lastLogin: number | null;

  @Column(microsColumn())
  dateJoined: number;

  @Column(microsColumn())
  lastUpdated: number;

  @Column(microsColumn({ nullable: true }))
  passwordChangeDate: number | null;

  /** authentik's TextField: unbounded (LONGTEXT on MariaDB since 1764220000000). */
  @Column({ type: 'text', default: 'users' })
  path: string;

  @Column({ type: 'varchar', length: 32, default: 'internal' })
  type: string;

  /** Free-form JSON object, stored as text. */
  @Column({ type: 'simple-json' })
  attributes: Record<string, unknown>;

  [AS_USER_SNAPSHOT](): UserSnapshot {
    return userSnapshot(this);
  }

  [AS_MODEL_REF](): ModelRef {
    return userModelRef(this);
  }
}
