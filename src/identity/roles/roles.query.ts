import { DataSource, SelectQueryBuilder } from 'typeorm';
import { applyOrdering, applySearch, FieldErrorCollector, ListQuery, textParam } from '@app/common';
import { RoleMember } from '../entities/role-member.entity';
import { Role } from '../entities/role.entity';

/** `rbac_roles_list`: `name`, `users` (roles a user holds), search and ordering by name. */
export function roleListQuery(dataSource: DataSource, query: ListQuery): SelectQueryBuilder<Role> {
  const qb = dataSource.getRepository(Role).createQueryBuilder('role');
  const name = textParam(query, 'name');
  if (name !== undefined) qb.andWhere('role.name = :name', { name });
  const user = textParam(query, 'users');
  if (user !== undefined) {
    // django-filter's NumberFilter refuses what is not a number.
    if (!/^\s*-?\d{1,15}\s*$/.test(user)) {
      const errors = new FieldErrorCollector();
      errors.add('users', 'Enter a number.');
      errors.throwIfAny();
    }
    qb.andWhere((sub) => {
      const members = sub.subQuery().select('member.roleUuid').from(RoleMember, 'member').where('member.userId = :memberPk');
      return `role.uuid IN ${members.getQuery()}`;
    });
    qb.setParameter('memberPk', Number.parseInt(user, 10));
  }
  applySearch(qb, query, ['role.name']);
  applyOrdering(qb, query, { pk: 'role.uuid', name: 'role.name' }, ['name'], 'pk');
  return qb;
}
