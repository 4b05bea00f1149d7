import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { nowMicros } from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { AppMetrics, NotificationBacklog } from '../../metrics/app-metrics';
import { EventRecord, EventsService, serializeEvent } from '../../events';
import { superusersAmong } from '../../identity/groups/group-hierarchy';
import { User } from '../../identity/entities/user.entity';
import { NotificationDelivery } from '../entities/notification-delivery.entity';
import { NotificationRule } from '../entities/notification-rule.entity';
import { NotificationTransport } from '../entities/notification-transport.entity';
import { eventHyperlink, eventSummary } from '../senders/notification-body';
import { NotificationSenders } from '../senders/notification-senders';
import { TransportsService } from '../transports/transports.service';
import { ClaimedRow, DeliverySql } from './delivery-sql';
import { QueueTransactions } from './queue-transactions';
import { RetryPolicy, retryDelayMs } from './retry-backoff';

/** What one claim's deliveries need, read for all of them at once. */
interface ClaimedBatch {
  deliveries: Map<string, NotificationDelivery>;
  transports: Map<string, NotificationTransport>;
  rules: Set<string>;
  users: Map<number, User>;
  superusers: Set<number>;
  /** The claimed deliveries' events that are still visible. */
  events: Map<string, EventRecord>;
}

/** The longest error text kept in `last_error` (a receiver's answer is already cut to 64 KiB). */
const ERROR_TEXT_LIMIT = 2000;

/**
 * Sends due deliveries, at most NOTIFICATION_CONCURRENCY at once in this process. A claim (one
 * short transaction) counts the attempt and leases the rows: they are not due again until the
 * lease ends, longer than any send may take, so a worker that dies mid-send leaves them to be
 * sent again then, under the same id (`webhook-id` / `Idempotency-Key`, the `local`
 * notification's uuid). After sending it marks each row delivered, or due again after the
 * backoff, or `failed` after the last attempt; a mark is conditional on the attempt still being
 * the row's latest, so a late worker changes nothing. A slow receiver holds one slot, up to
 * AUTHENTIK_HTTP_TIMEOUT, never the others.
 */
@Injectable()
export class DeliveryWorker {
  private readonly logger = new Logger(DeliveryWorker.name);
  private readonly policy: RetryPolicy;
  private readonly leaseMicros: number;
  private inFlight = 0;
  private claiming: Promise<number> | null = null;
  private readonly attempts = new Set<Promise<void>>();
  /** Called whenever a slot frees up (the scheduler claims more then). */
  onSlotFree: () => void = () => undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    private readonly queue: QueueTransactions,
    private readonly sql: DeliverySql,
    private readonly events: EventsService,
    private readonly senders: NotificationSenders,
    private readonly transports: TransportsService,
    private readonly metrics: AppMetrics,
  ) {
    metrics.watchNotificationBacklog(() => this.backlog());
    const { maxAttempts, retryBaseMs, retryMaxMs } = config.notifications;
    this.policy = { maxAttempts, baseMs: retryBaseMs, maxMs: retryMaxMs };
    // Longer than the slowest send (a webhook's timeout, or an SMTP exchange of several answers).
    const slowestSendMs = Math.max(config.webhookTimeoutMs, config.email.timeoutSeconds * 1000 * 4);
    this.leaseMicros = (slowestSendMs + 60_000) * 1000;
  }

  /** Deliveries being sent now. */
  get busy(): number {
    return this.inFlight;
  }

  /**
   * Claims as many due deliveries as there are free slots and starts sending them (without
   * waiting for them); how many it started. One claim at a time.
   */
  claimAndStart(): Promise<number> {
    this.claiming ??= this.claim().finally(() => (this.claiming = null));
    return this.claiming;
  }

  /** Resolves when every send started so far has finished. */
  async drain(): Promise<void> {
    await this.claiming?.catch(() => undefined);
    await Promise.all([...this.attempts]);
  }

  private async claim(): Promise<number> {
    const { concurrency } = this.config.notifications;
    const free = concurrency - this.inFlight;
    // Claims in batches (half the slots at least, unless idle): a claim is a transaction, and
    // what a batch needs is read once for all of it.
    if (free <= 0 || (this.inFlight > 0 && free < Math.ceil(concurrency / 2))) return 0;
    const now = nowMicros();
    const claimed = await this.queue.claim<ClaimedRow, { uuid: string; attempt: number }[]>(this.sql.claimDue(now, free), async (rows) => ({
      statements: rows.length
        ? [
            this.sql.lease(
              rows.map((row) => row.uuid),
              now + this.leaseMicros,
            ),
          ]
        : [],
      result: rows.map((row) => ({ uuid: row.uuid, attempt: Number(row.attempts) + 1 })),
    }));
    if (claimed.length === 0) return 0;
    this.inFlight += claimed.length;
    let batch: ClaimedBatch | null = null;
    try {
      batch = await this.readBatch(claimed.map((c) => c.uuid));
    } finally {
      if (!batch) this.inFlight -= claimed.length; // the rows come back when their lease ends
    }
    for (const { uuid, attempt } of claimed) {
      const running = this.attempt(uuid, attempt, batch)
        .catch((error: Error) => this.logger.error(`delivery ${uuid}: ${error.message}`))
        .finally(() => {
          this.inFlight -= 1;
          this.attempts.delete(running);
          this.onSlotFree();
        });
      this.attempts.add(running);
    }
    return claimed.length;
  }

  /** Everything the claimed deliveries need, read once: their rows, transports, rules, recipients and events. */
  private async readBatch(uuids: string[]): Promise<ClaimedBatch> {
    const m = this.dataSource.manager;
    const deliveries = await m.find(NotificationDelivery, { where: { uuid: In(uuids) } });
    const distinct = <T>(values: T[]) => [...new Set(values)];
    const userIds = distinct(deliveries.map((d) => d.recipientId));
    const eventUuids = distinct(deliveries.map((d) => d.eventUuid));
    const [transports, rules, users, superusers, events] = await Promise.all([
      m.find(NotificationTransport, { where: { uuid: In(distinct(deliveries.map((d) => d.transportUuid))) } }),
      m.find(NotificationRule, { where: { pbmUuid: In(distinct(deliveries.map((d) => d.ruleUuid))) } }),
      m.find(User, { where: { id: In(userIds) } }),
      superusersAmong(m, userIds),
      this.events.findVisibleMany(eventUuids),
    ]);
    return {
      deliveries: new Map(deliveries.map((d) => [d.uuid, d])),
      transports: new Map(transports.map((t) => [t.uuid, t])),
      rules: new Set(rules.map((r) => r.pbmUuid)),
      users: new Map(users.map((u) => [u.id, u])),
      superusers,
      events,
    };
  }

  /** One attempt of one claimed delivery, ending with its mark. */
  private async attempt(uuid: string, attempt: number, batch: ClaimedBatch): Promise<void> {
    const delivery = batch.deliveries.get(uuid);
    if (!delivery) return; // its transport was deleted meanwhile (the rows go with it)
    const transport = batch.transports.get(delivery.transportUuid);
    const user = batch.users.get(delivery.recipientId);
    const event = batch.events.get(delivery.eventUuid);
    // As authentik's delivery task: when any of them is gone, nothing is sent.
    const gone = !transport
      ? 'transport'
      : !batch.rules.has(delivery.ruleUuid)
        ? 'rule'
        : !user
          ? 'recipient'
          : !event
            ? 'event (expired or deleted)'
            : null;
    if (gone || !transport || !user || !event) {
      await this.queue.run(this.sql.givenUp(uuid, attempt, nowMicros(), 'skipped', `The ${gone} no longer exists.`));
      this.metrics.deliveryAttempted('skipped');
      return;
    }
    const superusers = batch.superusers;
    const shown = serializeEvent(event);
    try {
      await this.senders.deliver(
        this.transports.settingsOf(transport),
        {
          uuid: delivery.uuid,
          severity: delivery.severity,
          body: eventSummary(shown),
          ...eventHyperlink(shown),
          recipient: { pk: user.id, username: user.username, name: user.name, email: user.email, isSuperuser: superusers.has(user.id) },
        },
        shown,
      );
    } catch (error) {
      const text = ((error as Error).message || String(error)).slice(0, ERROR_TEXT_LIMIT);
      const delay = retryDelayMs(attempt, this.policy);
      const now = nowMicros();
      await this.queue.run(
        delay === null ? this.sql.givenUp(uuid, attempt, now, 'failed', text) : this.sql.retryAt(uuid, attempt, now + delay * 1000, text),
      );
      if (delay === null) this.logger.warn(`delivery ${uuid} failed after ${attempt} attempts: ${text}`);
      this.metrics.deliveryAttempted(delay === null ? 'failed' : 'retry');
      return;
    }
    await this.queue.run(this.sql.delivered(uuid, attempt, nowMicros()));
    this.metrics.deliveryAttempted('delivered');
  }

  /** Saved events not yet planned, deliveries not yet finished (for the metrics, at scrape time). */
  private async backlog(): Promise<NotificationBacklog> {
    const count = async (statement: string) => Number((await this.dataSource.query(statement))[0].n);
    const [outbox, pending] = await Promise.all([
      count('SELECT COUNT(*) AS n FROM event_outbox'),
      count("SELECT COUNT(*) AS n FROM notification_deliveries WHERE status = 'pending'"),
    ]);
    return { outbox, pending };
  }
}
