import type { Severity } from '../entities/notification.entity';
import type { TransportMode } from '../entities/notification-transport.entity';
import type { NotificationEvent } from './notification-body';

/** Who a notification is for. */
export interface Recipient {
  pk: number;
  username: string;
  name: string;
  email: string;
  isSuperuser: boolean;
}

/** A notification about to be delivered (authentik's unsaved `Notification`). */
export interface OutgoingNotification {
  /**
   * Stable per delivery: the `local` sender stores the notification under it (a second delivery
   * with the same id stores nothing), webhooks send it as `webhook-id`. Make it from the
   * delivery's idempotency key to make retries safe.
   */
  uuid: string;
  severity: Severity;
  body: string;
  hyperlink: string | null;
  hyperlinkLabel: string | null;
  recipient: Recipient;
}

/** The transport settings a sender reads. */
export interface TransportSettings {
  uuid: string;
  name: string;
  mode: TransportMode;
  webhookUrl: string;
  emailSubjectPrefix: string;
  emailTemplate: string;
  /** The Standard Webhooks secret (`whsec_…`), or null for unsigned webhooks. */
  signingSecret: string | null;
}

/** What the transport `test/` action answers (`{"messages": …}`); null when an email had no address. */
export interface DeliveryResult {
  messages: string[] | null;
}

/** A delivery failed and may be retried; `message` is what authentik's `NotificationTransportError` says. */
export class NotificationTransportError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotificationTransportError';
  }
}

/**
 * One transport mode. `deliver` sends one notification (`event` null when it has none) and
 * resolves when the receiver accepted it; it throws `NotificationTransportError` when it did not.
 */
export interface NotificationSender {
  readonly mode: TransportMode;
  deliver(transport: TransportSettings, notification: OutgoingNotification, event: NotificationEvent | null): Promise<DeliveryResult>;
}
