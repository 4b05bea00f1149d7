import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { microsColumn } from '@app/common';

/** A person or service account (authentik's `authentik_core.user`). */
@Entity('users')
export class User {
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

  @Column({ type: 'boolean', default: false })
  isSuperuser: boolean;

  @Column(microsColumn({ nullable: true }))
  lastLogin: number | null;

  @Column(microsColumn())
  dateJoined: number;

  @Column(microsColumn())
  lastUpdated: number;

  @Column(microsColumn({ nullable: true }))
  passwordChangeDate: number | null;

  @Column({ type: 'varchar', length: 255, default: 'users' })
  path: string;

  @Column({ type: 'varchar', length: 32, default: 'internal' })
  type: string;

  /** Free-form JSON object, stored as text. */
  @Column({ type: 'simple-json' })
  attributes: Record<string, unknown>;
}
