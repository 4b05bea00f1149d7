import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { microsColumn } from '@app/common';
import type { Severity } from './notification.entity';

/**
 * `pending` until delivered; `failed` after the last attempt allowed failed; `skipped` when at its
 * turn the event (expired, deleted), the rule or the recipient no longer existed, as authentik's
 * delivery task stops silently then.
 */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * One notification to send: one transport, one recipient, for one rule and one revision of one
 * event (eventlog's delivery log; authentik keeps no such row). `uuid` is derived from the
 * idempotency key (delivery-key.ts), so planning the same revision twice stores nothing new; it
 * is also the notification's uuid (`local`) and the `webhook-id` / `Idempotency-Key` receivers
 * see, the same on every attempt.
 */
@Entity('notification_deliveries')
@Index('idx_notification_deliveries_due', ['status', 'nextAttemptAt'])
@Index('idx_notification_deliveries_transport', ['transportUuid', 'created'])
@Index('idx_notification_deliveries_finished', ['finished'])
export class NotificationDelivery {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  uuid: string;

  /** `<event uuid>/<revision>/<rule pk>/<transport pk>/<slot>` (delivery-plan.ts). */
  @Column({ type: 'varchar', length: 255 })
  idempotencyKey: string;

  @Column({ type: 'varchar', length: 36 })
  eventUuid: string;

  /** The hash of the event revision this delivery is about. */
  @Column({ type: 'varchar', length: 64 })
  revision: string;

  @Column({ type: 'varchar', length: 36 })
  ruleUuid: string;

  @Column({ type: 'varchar', length: 36 })
  transportUuid: string;

  @Column({ type: 'integer' })
  recipientId: number;

  @Column({ type: 'varchar', length: 16 })
  severity: Severity;

  @Column({ type: 'varchar', length: 16 })
  status: DeliveryStatus;

  /** Attempts started (a claim counts one, even when its worker died before it finished). */
  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Pending: when it is due (while a worker holds it, the end of that worker's lease); null once finished. */
  @Column(microsColumn({ nullable: true }))
  nextAttemptAt: number | null;

  /** What the last failed attempt said. */
  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column(microsColumn())
  created: number;

  /** When it was delivered or given up; null while pending. */
  @Column(microsColumn({ nullable: true }))
  finished: number | null;
}
