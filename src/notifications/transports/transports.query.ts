import { DataSource, SelectQueryBuilder } from 'typeorm';
import { applyOrdering, applySearch, booleanParam, FieldErrorCollector, ListQuery, textParam } from '@app/common';
import { NotificationTransport, TRANSPORT_MODES } from '../entities/notification-transport.entity';

/** `events_transports_list`: exact `name`, `mode`, `webhook_url`, `send_once`; search over name, mode, URL; ordering. */
export function transportListQuery(dataSource: DataSource, query: ListQuery): SelectQueryBuilder<NotificationTransport> {
  const qb = dataSource.getRepository(NotificationTransport).createQueryBuilder('transport');
  const name = textParam(query, 'name');
  if (name !== undefined) qb.andWhere('transport.name = :name', { name });
  const mode = textParam(query, 'mode');
  if (mode !== undefined) {
    if (!(TRANSPORT_MODES as readonly string[]).includes(mode)) {
      const errors = new FieldErrorCollector();
      errors.add('mode', `Select a valid choice. ${mode} is not one of the available choices.`);
      errors.throwIfAny();
    }
    qb.andWhere('transport.mode = :mode', { mode });
  }
  const url = textParam(query, 'webhook_url');
  if (url !== undefined) qb.andWhere('transport.webhookUrl = :url', { url });
  const sendOnce = booleanParam(query, 'send_once');
  if (sendOnce !== undefined) qb.andWhere('transport.sendOnce = :sendOnce', { sendOnce });
  applySearch(qb, query, ['transport.name', 'transport.mode', 'transport.webhookUrl']);
  applyOrdering(
    qb,
    query,
    {
      pk: 'transport.uuid',
      name: 'transport.name',
      mode: 'transport.mode',
      webhook_url: 'transport.webhookUrl',
      email_subject_prefix: 'transport.emailSubjectPrefix',
      email_template: 'transport.emailTemplate',
      send_once: 'transport.sendOnce',
    },
    ['name'],
    'pk',
  );
  return qb;
}
