import { DataSource, SelectQueryBuilder } from 'typeorm';
import { applyOrdering, booleanParam, FieldErrorCollector, ListQuery, parseDateTime, textParam, toUuidPk, UUID_PATTERN } from '@app/common';
import { Notification, SEVERITIES } from '../entities/notification.entity';

const invalidChoice = (value: string) => `Select a valid choice. ${value} is not one of the available choices.`;
const UNKNOWN_CHOICE = 'Select a valid choice. That choice is not one of the available choices.';

/**
 * `events_notifications_list`: exact `severity`, `body`, `created`, `event`, `seen`, `user`;
 * `search` does nothing (authentik declares no search fields); ordering. `ownerId`: the caller,
 * when they may see only their own notifications.
 */
export function notificationListQuery(dataSource: DataSource, query: ListQuery, ownerId: number | null): SelectQueryBuilder<Notification> {
  const qb = dataSource.getRepository(Notification).createQueryBuilder('notification');
  if (ownerId !== null) qb.andWhere('notification.userId = :ownerId', { ownerId });
  const errors = new FieldErrorCollector();
  const severity = textParam(query, 'severity');
  if (severity !== undefined) {
    if ((SEVERITIES as readonly string[]).includes(severity)) qb.andWhere('notification.severity = :severity', { severity });
    else errors.add('severity', invalidChoice(severity));
  }
  const body = textParam(query, 'body');
  if (body !== undefined) qb.andWhere('notification.body = :body', { body });
  const created = textParam(query, 'created');
  if (created !== undefined) {
    const parsed = parseDateTime(created);
    if (parsed.ok) qb.andWhere('notification.created = :created', { created: parsed.micros });
    else errors.add('created', 'Enter a valid date/time.');
  }
  const event = textParam(query, 'event');
  if (event !== undefined) {
    // A malformed uuid is django-filter's "not one of the available choices" for a foreign key.
    if (UUID_PATTERN.test(event.trim())) qb.andWhere('notification.eventUuid = :event', { event: toUuidPk(event) });
    else errors.add('event', UNKNOWN_CHOICE);
  }
  const seen = booleanParam(query, 'seen');
  if (seen !== undefined) qb.andWhere('notification.seen = :seen', { seen });
  const user = textParam(query, 'user');
  if (user !== undefined) {
    if (/^\s*\d{1,15}\s*$/.test(user)) qb.andWhere('notification.userId = :user', { user: Number(user) });
    else errors.add('user', UNKNOWN_CHOICE);
  }
  errors.throwIfAny();
  applyOrdering(
    qb,
    query,
    {
      pk: 'notification.uuid',
      severity: 'notification.severity',
      body: 'notification.body',
      hyperlink: 'notification.hyperlink',
      hyperlink_label: 'notification.hyperlinkLabel',
      created: 'notification.created',
      event: 'notification.eventUuid',
      seen: 'notification.seen',
    },
    ['-created'],
    'pk',
  );
  return qb;
}
