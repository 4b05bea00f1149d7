import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import type { NotificationEvent } from './notification-body';
import { slackBody, webhookBody } from './payloads';
import { postJson } from './http-post';
import { pythonJsonDumps } from './python-json';
import type { DeliveryResult, NotificationSender, OutgoingNotification, TransportSettings } from './sender';
import { SENDER_USER_AGENT, SLACK_FOOTER } from './sender-identity';
import { signatureHeaders } from './webhook-signature';

/**
 * POSTs the JSON body as authentik's `requests` call would write it; signed with the Standard
 * Webhooks headers when the transport has a signing secret (`webhook-id` is the notification's
 * uuid, stable across retries of one delivery, so receivers can drop duplicates). Every request,
 * signed or not, carries that uuid as `Idempotency-Key` too (eventlog's addition), so a receiver
 * of unsigned webhooks can recognise a resend after a crash as well.
 */
async function post(
  transport: TransportSettings,
  notification: OutgoingNotification,
  payload: unknown,
  timeoutMs: number,
): Promise<DeliveryResult> {
  const body = pythonJsonDumps(payload);
  const headers: Record<string, string> = { 'User-Agent': SENDER_USER_AGENT, 'Idempotency-Key': notification.uuid };
  if (transport.signingSecret) Object.assign(headers, signatureHeaders(transport.signingSecret, notification.uuid, body));
  const { status, text } = await postJson(transport.webhookUrl, body, headers, timeoutMs);
  return { messages: [String(status), text] };
}

/** `webhook`: authentik's six-key JSON object. */
@Injectable()
export class WebhookSender implements NotificationSender {
  readonly mode = 'webhook';

  constructor(@InjectConfig() private readonly config: AppConfig) {}

  deliver(transport: TransportSettings, notification: OutgoingNotification, event: NotificationEvent | null): Promise<DeliveryResult> {
    return post(transport, notification, webhookBody(notification, event), this.config.webhookTimeoutMs);
  }
}

/** `webhook_slack`: a Slack attachment message (Discord accepts it on `/slack` webhook URLs). */
@Injectable()
export class SlackWebhookSender implements NotificationSender {
  readonly mode = 'webhook_slack';

  constructor(@InjectConfig() private readonly config: AppConfig) {}

  deliver(transport: TransportSettings, notification: OutgoingNotification, event: NotificationEvent | null): Promise<DeliveryResult> {
    return post(transport, notification, slackBody(notification, event, SLACK_FOOTER), this.config.webhookTimeoutMs);
  }
}
