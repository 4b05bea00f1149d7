import { DataSource, SelectQueryBuilder } from 'typeorm';
import { applyOrdering, applySearch, FieldErrorCollector, ListQuery, textParam } from '@app/common';
import { NotificationRule } from '../entities/notification-rule.entity';
import { SEVERITIES } from '../entities/notification.entity';

/**
 * `events_rules_list`: exact `name`, `severity` and `destination_group__name`; search over the
 * rule's and the destination group's names; ordering by the serializer's plain fields, by name
 * unless asked.
 */
export function ruleListQuery(dataSource: DataSource, query: ListQuery): SelectQueryBuilder<NotificationRule> {
  const qb = dataSource.getRepository(NotificationRule).createQueryBuilder('rule').leftJoin('rule.destinationGroup', 'grp');
  const name = textParam(query, 'name');
  if (name !== undefined) qb.andWhere('rule.name = :name', { name });
  const severity = textParam(query, 'severity');
  if (severity !== undefined) {
    if (!(SEVERITIES as readonly string[]).includes(severity)) {
      const errors = new FieldErrorCollector();
      errors.add('severity', `Select a valid choice. ${severity} is not one of the available choices.`);
      errors.throwIfAny();
    }
    qb.andWhere('rule.severity = :severity', { severity });
  }
  const groupName = textParam(query, 'destination_group__name');
  if (groupName !== undefined) qb.andWhere('grp.name = :groupName', { groupName });
  applySearch(qb, query, ['rule.name', 'grp.name']);
  applyOrdering(
    qb,
    query,
    {
      pk: 'rule.pbmUuid',
      name: 'rule.name',
      severity: 'rule.severity',
      destination_group: 'rule.destinationGroupUuid',
      destination_event_user: 'rule.destinationEventUser',
    },
    ['name'],
    'pk',
  );
  return qb;
}
