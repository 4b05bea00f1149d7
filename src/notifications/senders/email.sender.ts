import { Injectable, Logger } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { EventRecorder } from '../../events';
import { emailContext, emailHtml, emailText } from './email-content';
import type { NotificationEvent } from './notification-body';
import { DeliveryResult, NotificationSender, NotificationTransportError, OutgoingNotification, TransportSettings } from './sender';

/** The module authentik records `email_sent` from. */
const EMAIL_TASKS_APP = 'authentik.stages.email.tasks';

/**
 * `email`: one mail over SMTP with the global `AUTHENTIK_EMAIL__*` settings, HTML and text parts
 * as authentik's `email/event_notification` template; then an `email_sent` event. A recipient
 * without an address gets nothing (`messages: null`, as authentik answers).
 */
@Injectable()
export class EmailSender implements NotificationSender {
  readonly mode = 'email';
  private readonly logger = new Logger(EmailSender.name);

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly events: EventRecorder,
  ) {}

  async deliver(
    transport: TransportSettings,
    notification: OutgoingNotification,
    event: NotificationEvent | null,
  ): Promise<DeliveryResult> {
    const address = notification.recipient.email.trim();
    if (address === '') {
      this.logger.debug(`Discarding notification ${notification.uuid} as user has no email address`);
      return { messages: null };
    }
    const context = emailContext(notification, event, transport.name);
    const subject = transport.emailSubjectPrefix + context.title;
    const html = emailHtml(context);
    const to = { name: notification.recipient.name, address };
    const settings = this.config.email;
    const mailer = createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.useSsl,
      requireTLS: settings.useTls,
      ignoreTLS: !settings.useTls && !settings.useSsl,
      auth: settings.username ? { user: settings.username, pass: settings.password } : undefined,
      connectionTimeout: settings.timeoutSeconds * 1000,
      greetingTimeout: settings.timeoutSeconds * 1000,
      socketTimeout: settings.timeoutSeconds * 1000,
    });
    try {
      await mailer.sendMail({
        from: settings.from,
        to,
        subject,
        html,
        text: emailText(context),
        // A stable Message-ID per delivery lets a mail system recognise a retried duplicate.
        messageId: `<${notification.uuid}@eventlog>`,
      });
    } catch (error) {
      throw new NotificationTransportError((error as Error).message, { cause: error });
    } finally {
      mailer.close();
    }
    const recipient = notification.recipient.name ? `${notification.recipient.name} <${address}>` : address;
    await this.events.record('email_sent', {
      app: EMAIL_TASKS_APP,
      context: { message: `Email to ${recipient} sent`, subject, body: html, from_email: settings.from, to_email: [recipient] },
    });
    return { messages: [] };
  }
}
