import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AS_MODEL_REF, microsColumn, ModelEntity, ModelRef } from '@app/common';
import { tokenModelRef } from '../audit/model-refs';
import { User } from './user.entity';

export const TOKEN_INTENTS = ['verification', 'api', 'recovery', 'app_password'] as const;
export type TokenIntent = (typeof TOKEN_INTENTS)[number];

/**
 * An API token. The key itself is never stored: `keyDigest` (HMAC-SHA256 with the instance
 * secret) finds the token for a bearer key, and `keyEncrypted` (AES-256-GCM with a key derived
 * from the same secret) lets `view_key/` show it to its owner.
 */
@Entity('tokens')
export class Token implements ModelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  tokenUuid: string;

  @Column({ type: 'varchar', length: 255, unique: true })
  identifier: string;

  @Index('idx_tokens_key_digest', { unique: true })
  @Column({ type: 'varchar', length: 64 })
  keyDigest: string;

  @Column({ type: 'text' })
  keyEncrypted: string;

  @Column({ type: 'varchar', length: 16, default: 'verification' })
  intent: TokenIntent;

  @Column({ type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'text' })
  description: string;

  @Column(microsColumn({ nullable: true }))
  expires: number | null;

  @Column({ type: 'boolean', default: true })
  expiring: boolean;

  /** authentik's TextField: unbounded (LONGTEXT on MariaDB since 1764220000000). */
  @Column({ type: 'text', nullable: true })
  managed: string | null;

  /** How events name this token (e.g. the `secret` of a `secret_view`). */
  [AS_MODEL_REF](): ModelRef {
    return tokenModelRef(this);
  }
}
