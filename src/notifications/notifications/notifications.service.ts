import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hasPermission, Permission, PermissionName, Principal } from '@app/auth';
import { fetchPage, forbidden, formatMicros, ListQuery, noMatch, Paginated } from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { EventsService } from '../../events';
import { serializeEvent } from '../../events';
import { Notification } from '../entities/notification.entity';
import { NotificationRequest, PatchedNotificationRequest } from './dto/notification-request.dto';
import { NotificationResponse } from './dto/notification.dto';
import { notificationListQuery } from './notifications.query';

type NotificationChanges = Partial<Pick<Notification, 'hyperlink' | 'hyperlinkLabel' | 'seen'>>;

/**
 * Notifications (`/api/v3/events/notifications/`). Visibility is authentik's `owner_field`:
 * without the global `view_notification` a caller sees (and may change and delete) only their
 * own; anyone else's is a 404. Changes record no events (authentik's audit ignores notifications).
 */
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    private readonly events: EventsService,
  ) {}

  async list(caller: Principal, query: ListQuery): Promise<Paginated<NotificationResponse>> {
    const qb = notificationListQuery(this.dataSource, query, this.seesAll(caller) ? null : caller.user.pk);
    const { pagination, rows } = await fetchPage(qb, query, this.config.pagination);
    return { pagination, results: await Promise.all(rows.map((row) => this.present(row))), autocomplete: {} };
  }

  async retrieve(caller: Principal, uuid: string): Promise<NotificationResponse> {
    return this.present(await this.findVisible(caller, uuid));
  }

  /** PUT and PATCH: `seen`, `hyperlink` and `hyperlink_label` are writable; the rest is read-only. */
  async update(caller: Principal, uuid: string, body: NotificationRequest | PatchedNotificationRequest): Promise<NotificationResponse> {
    const notification = await this.findVisible(caller, uuid);
    this.checkOwnerOr(caller, notification, Permission.changeNotification);
    const changes: NotificationChanges = {};
    if (body.seen !== undefined) changes.seen = body.seen;
    if (body.hyperlink !== undefined) changes.hyperlink = body.hyperlink;
    if (body.hyperlink_label !== undefined) changes.hyperlinkLabel = body.hyperlink_label;
    if (Object.keys(changes).length) await this.dataSource.getRepository(Notification).update({ uuid }, changes);
    return this.present({ ...notification, ...changes });
  }

  async destroy(caller: Principal, uuid: string): Promise<void> {
    const notification = await this.findVisible(caller, uuid);
    this.checkOwnerOr(caller, notification, Permission.deleteNotification);
    await this.dataSource.getRepository(Notification).delete({ uuid });
  }

  /** Nothing references a notification. */
  async usedBy(caller: Principal, uuid: string): Promise<unknown[]> {
    await this.findVisible(caller, uuid);
    return [];
  }

  /** Only the caller's own unseen notifications, even for superusers (as authentik). */
  async markAllSeen(caller: Principal): Promise<void> {
    await this.dataSource.getRepository(Notification).update({ userId: caller.user.pk, seen: false }, { seen: true });
  }

  private seesAll(caller: Principal): boolean {
    return hasPermission(caller, Permission.viewNotification);
  }

  private async findVisible(caller: Principal, uuid: string): Promise<Notification> {
    const where = this.seesAll(caller) ? { uuid } : { uuid, userId: caller.user.pk };
    const notification = await this.dataSource.getRepository(Notification).findOne({ where });
    if (!notification) throw noMatch('Notification');
    return notification;
  }

  private checkOwnerOr(caller: Principal, notification: Notification, permission: PermissionName): void {
    if (notification.userId !== caller.user.pk && !hasPermission(caller, permission)) throw forbidden();
  }

  private async present(n: Notification): Promise<NotificationResponse> {
    const event = n.eventUuid ? await this.events.findVisible(n.eventUuid) : null;
    return {
      pk: n.uuid,
      severity: n.severity,
      body: n.body,
      hyperlink: n.hyperlink,
      hyperlink_label: n.hyperlinkLabel,
      created: formatMicros(n.created)!,
      event: event ? serializeEvent(event) : null,
      seen: n.seen,
    };
  }
}
