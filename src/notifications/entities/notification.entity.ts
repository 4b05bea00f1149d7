import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { microsColumn } from '@app/common';
import { User } from '../../identity/entities/user.entity';

export const SEVERITIES = ['notice', 'warning', 'alert'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * A notification shown to one user (`authentik_events.notification`). `eventUuid` points at the
 * event without a foreign key: events are purged in bulk, and a notification whose event is gone
 * or expired shows `event: null`, as authentik's `on_delete=SET_NULL` does.
 */
@Entity('notifications')
@Index('idx_notifications_user_seen', ['userId', 'seen'])
export class Notification {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  uuid: string;

  @Column({ type: 'varchar', length: 16 })
  severity: Severity;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text', nullable: true })
  hyperlink: string | null;

  @Column({ type: 'text', nullable: true })
  hyperlinkLabel: string | null;

  @Column(microsColumn())
  created: number;

  @Column({ type: 'varchar', length: 36, nullable: true })
  eventUuid: string | null;

  @Column({ type: 'boolean', default: false })
  seen: boolean;

  @Column({ type: 'integer' })
  userId: number;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;
}
