import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not } from 'typeorm';
import type { Principal } from '@app/auth';
import { fetchPage, FieldErrorCollector, ListQuery, noMatch, Paginated, translateUniqueViolation, type UsedByResponse } from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { EventRecorder, RequestEventRecorder } from '../../events';
import { TokenKeyVault } from '../../identity/token-keys';
import { NotificationTransport, TRANSPORT_MODE_LABELS, TransportMode } from '../entities/notification-transport.entity';
import { rulesUsingTransport } from '../rules/rule-references';
import { NotificationSenders } from '../senders/notification-senders';
import { NotificationTransportError, TransportSettings } from '../senders/sender';
import { isSigningSecret } from '../senders/webhook-signature';
import { NotificationTransportRequest, PatchedNotificationTransportRequest } from './dto/transport-request.dto';
import { NotificationTransportResponse } from './dto/transport.dto';
import { transportAudit } from './transport-audit';
import {
  DEFAULT_EMAIL_SUBJECT_PREFIX,
  DEFAULT_EMAIL_TEMPLATE,
  EMAIL_TEMPLATES,
  invalidTemplate,
  WEBHOOK_URL_REQUIRED,
} from './transport-rules';
import { transportListQuery } from './transports.query';

const NAME_TAKEN = 'Notification Transport with this name already exists.';
const BAD_SECRET = 'Enter a Standard Webhooks secret: "whsec_" and the base64 of 24 to 64 random bytes.';
/** The module authentik's `test/` action records its event from. */
const TEST_EVENT_APP = 'authentik.events.api.notification_transports';

/** What `POST …/test/` came to: authentik's `{"messages": …}`, or the failure text it answers 500 with. */
export type TransportTestOutcome = { delivered: true; messages: string[] | null } | { delivered: false; error: string };

type TransportChanges = Partial<Omit<NotificationTransport, 'uuid'>>;

/** Notification transports (`/api/v3/events/transports/`). */
@Injectable()
export class TransportsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    private readonly vault: TokenKeyVault,
    private readonly senders: NotificationSenders,
    private readonly recorder: EventRecorder,
  ) {}

  async list(query: ListQuery): Promise<Paginated<NotificationTransportResponse>> {
    const { pagination, rows } = await fetchPage(transportListQuery(this.dataSource, query), query, this.config.pagination);
    return { pagination, results: rows.map(present), autocomplete: {} };
  }

  async retrieve(uuid: string): Promise<NotificationTransportResponse> {
    return present(await this.findByUuid(uuid));
  }

  async create(body: NotificationTransportRequest, events: RequestEventRecorder): Promise<NotificationTransportResponse> {
    const changes = await this.validated(body, null);
    const transport = this.dataSource.manager.create(NotificationTransport, {
      uuid: randomUUID(),
      mode: 'local' as TransportMode,
      webhookUrl: '',
      sendOnce: false,
      emailSubjectPrefix: DEFAULT_EMAIL_SUBJECT_PREFIX,
      emailTemplate: DEFAULT_EMAIL_TEMPLATE,
      signingSecretSealed: null,
      ...changes,
    });
    await this.dataSource.transaction(async (m) => {
      await translateUniqueViolation(() => m.insert(NotificationTransport, transport), 'name', NAME_TAKEN);
      await transportAudit.created(events, transport, m);
    });
    return present(transport);
  }

  /** PUT (`name` required by the DTO) and PATCH alike: only the given fields change, as in DRF. */
  async update(
    uuid: string,
    body: NotificationTransportRequest | PatchedNotificationTransportRequest,
    events: RequestEventRecorder,
  ): Promise<NotificationTransportResponse> {
    const before = await this.findByUuid(uuid);
    const changes = await this.validated(body, before);
    const after = this.dataSource.manager.create(NotificationTransport, { ...before, ...changes });
    await this.dataSource.transaction(async (m) => {
      if (Object.keys(changes).length) {
        await translateUniqueViolation(() => m.update(NotificationTransport, { uuid }, changes), 'name', NAME_TAKEN);
      }
      await transportAudit.updated(events, before, after, m);
    });
    return present(after);
  }

  async destroy(uuid: string, events: RequestEventRecorder): Promise<void> {
    const transport = await this.findByUuid(uuid);
    await this.dataSource.transaction(async (m) => {
      await m.delete(NotificationTransport, { uuid });
      await transportAudit.deleted(events, transport, m);
    });
  }

  /** `used_by/`: the rules that use the transport (`cascade_many`), if the caller may view rules. */
  async usedBy(caller: Principal, uuid: string): Promise<UsedByResponse[]> {
    await this.findByUuid(uuid);
    return rulesUsingTransport(this.dataSource.manager, caller, uuid);
  }

  /**
   * `test/`: records authentik's `custom_notification_test` event, then sends the caller a
   * `notice` "Test Notification from transport <name>" through the transport, synchronously.
   */
  async sendTest(uuid: string, caller: Principal): Promise<TransportTestOutcome> {
    const transport = await this.findByUuid(uuid);
    const { pk, username, email, name, is_superuser } = caller.user;
    const event = await this.recorder.record('notification_test', {
      app: TEST_EVENT_APP,
      context: { user: { username, pk, email }, context: { foo: 'bar' } },
    });
    try {
      const result = await this.senders.deliver(
        this.settingsOf(transport),
        {
          uuid: randomUUID(),
          severity: 'notice',
          body: `Test Notification from transport ${transport.name}`,
          hyperlink: null,
          hyperlinkLabel: null,
          recipient: { pk, username, name, email, isSuperuser: is_superuser },
        },
        event,
      );
      return { delivered: true, messages: result.messages };
    } catch (error) {
      if (error instanceof NotificationTransportError) return { delivered: false, error: error.message };
      throw error;
    }
  }

  /** What a sender needs, the signing secret unsealed. */
  settingsOf(transport: NotificationTransport): TransportSettings {
    return {
      uuid: transport.uuid,
      name: transport.name,
      mode: transport.mode,
      webhookUrl: transport.webhookUrl,
      emailSubjectPrefix: transport.emailSubjectPrefix,
      emailTemplate: transport.emailTemplate,
      signingSecret: transport.signingSecretSealed ? this.vault.decrypt(transport.signingSecretSealed) : null,
    };
  }

  async findByUuid(uuid: string): Promise<NotificationTransport> {
    const transport = await this.dataSource.getRepository(NotificationTransport).findOne({ where: { uuid } });
    if (!transport) throw noMatch('NotificationTransport');
    return transport;
  }

  /**
   * authentik's field checks (unique name, known template, the secret's shape), then its
   * `validate()`: a webhook mode in the request needs a non-empty `webhook_url` in the request.
   */
  private async validated(
    body: NotificationTransportRequest | PatchedNotificationTransportRequest,
    existing: NotificationTransport | null,
  ): Promise<TransportChanges> {
    const errors = new FieldErrorCollector();
    if (body.name !== undefined && (await this.nameTaken(body.name, existing))) errors.add('name', NAME_TAKEN);
    if (body.email_template !== undefined && !(EMAIL_TEMPLATES as readonly string[]).includes(body.email_template)) {
      errors.add('email_template', invalidTemplate(body.email_template));
    }
    const secret = body.signing_secret;
    if (secret && !isSigningSecret(secret)) errors.add('signing_secret', BAD_SECRET);
    errors.throwIfAny();
    if ((body.mode === 'webhook' || body.mode === 'webhook_slack') && !body.webhook_url) {
      errors.add('webhook_url', WEBHOOK_URL_REQUIRED);
      errors.throwIfAny();
    }
    const changes: TransportChanges = {};
    if (body.name !== undefined) changes.name = body.name;
    if (body.mode !== undefined) changes.mode = body.mode;
    if (body.webhook_url !== undefined) changes.webhookUrl = body.webhook_url;
    if (body.send_once !== undefined) changes.sendOnce = body.send_once;
    if (body.email_subject_prefix !== undefined) changes.emailSubjectPrefix = body.email_subject_prefix;
    if (body.email_template !== undefined) changes.emailTemplate = body.email_template;
    if (secret !== undefined) changes.signingSecretSealed = secret ? this.vault.encrypt(secret) : null;
    return changes;
  }

  private async nameTaken(name: string, existing: NotificationTransport | null): Promise<boolean> {
    const where = existing ? { name, uuid: Not(existing.uuid) } : { name };
    return (await this.dataSource.getRepository(NotificationTransport).count({ where })) > 0;
  }
}

function present(t: NotificationTransport): NotificationTransportResponse {
  return {
    pk: t.uuid,
    name: t.name,
    mode: t.mode,
    mode_verbose: TRANSPORT_MODE_LABELS[t.mode],
    webhook_url: t.webhookUrl,
    webhook_ca: null,
    webhook_mapping_body: null,
    webhook_mapping_headers: null,
    email_subject_prefix: t.emailSubjectPrefix,
    email_template: t.emailTemplate,
    send_once: t.sendOnce,
    webhook_signed: t.signingSecretSealed !== null,
  };
}
