import { Column, Entity, PrimaryColumn } from 'typeorm';
import { AS_MODEL_REF, ModelEntity, ModelRef, Uuid } from '@app/common';

export const TRANSPORT_MODES = ['local', 'webhook', 'webhook_slack', 'email'] as const;
export type TransportMode = (typeof TRANSPORT_MODES)[number];

/** authentik's `TransportMode` labels, what `mode_verbose` answers. */
export const TRANSPORT_MODE_LABELS: Record<TransportMode, string> = {
  local: 'authentik inbuilt notifications',
  webhook: 'Generic Webhook',
  webhook_slack: 'Slack Webhook (Slack/Discord)',
  email: 'Email',
};

/**
 * How notifications leave the service (`authentik_events.notificationtransport`). Property
 * mappings and certificate keypairs do not exist here, so the three `webhook_mapping_*` /
 * `webhook_ca` references are not stored: the API accepts only null for them.
 */
@Entity('notification_transports')
export class NotificationTransport implements ModelEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  uuid: string;

  @Column({ type: 'varchar', length: 255, unique: true })
  name: string;

  @Column({ type: 'varchar', length: 16, default: 'local' })
  mode: TransportMode;

  @Column({ type: 'text' })
  webhookUrl: string;

  @Column({ type: 'boolean', default: false })
  sendOnce: boolean;

  @Column({ type: 'text' })
  emailSubjectPrefix: string;

  @Column({ type: 'text' })
  emailTemplate: string;

  /**
   * eventlog's addition: the Standard Webhooks signing secret (`whsec_…`), sealed with the
   * instance secret like token keys; null when webhooks of this transport are not signed.
   */
  @Column({ type: 'text', nullable: true })
  signingSecretSealed: string | null;

  [AS_MODEL_REF](): ModelRef {
    return { app: 'authentik_events', model_name: 'notificationtransport', pk: new Uuid(this.uuid), name: this.name };
  }
}
