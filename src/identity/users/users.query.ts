import { DataSource, In, SelectQueryBuilder } from 'typeorm';
import {
  applyOrdering,
  applySearch,
  booleanParam,
  escapeLike,
  FieldErrorCollector,
  listParam,
  ListQuery,
  textParam,
  toUuidPk,
  UUID_PATTERN,
} from '@app/common';
import { GroupMember } from '../entities/group-member.entity';
import { RoleMember } from '../entities/role-member.entity';
import { Role } from '../entities/role.entity';
import { User } from '../entities/user.entity';
import { superuserGroupUuids } from '../groups/group-hierarchy';
import { USER_TYPES } from './dto/user.dto';

/**
 * Wire names `ordering` accepts → columns; authentik's default order comes first. `is_superuser`
 * is not a column (it follows group membership), so it is not among them.
 */
const ORDERING: Record<string, string> = {
  pk: 'user.id',
  username: 'user.username',
  name: 'user.name',
  is_active: 'user.isActive',
  last_login: 'user.lastLogin',
  date_joined: 'user.dateJoined',
  email: 'user.email',
  path: 'user.path',
  type: 'user.type',
  uuid: 'user.uuid',
  password_change_date: 'user.passwordChangeDate',
  last_updated: 'user.lastUpdated',
};
const DEFAULT_ORDERING = ['username', 'date_joined', 'last_updated', 'last_login'];

const invalidChoice = (value: string) => `Select a valid choice. ${value} is not one of the available choices.`;

/**
 * `core_users_list` as one SQL query: authentik's UsersFilter (exact fields, booleans, uuid,
 * path prefix, types, roles by pk or name), its search fields and its ordering. Bad filter
 * values are 400s in django-filter's words, all reported together.
 */
export async function userListQuery(dataSource: DataSource, query: ListQuery): Promise<SelectQueryBuilder<User>> {
  const qb = dataSource.getRepository(User).createQueryBuilder('user');
  const errors = new FieldErrorCollector();

  for (const field of ['username', 'name', 'email', 'path'] as const) {
    const value = textParam(query, field);
    if (value !== undefined) qb.andWhere(`user.${field} = :${field}`, { [field]: value });
  }
  const isActive = booleanParam(query, 'is_active');
  if (isActive !== undefined) qb.andWhere('user.isActive = :isActive', { isActive });
  const isSuperuser = booleanParam(query, 'is_superuser');
  if (isSuperuser !== undefined) {
    // Members, direct or through a descendant, of an `is_superuser` group.
    const groups = [...(await superuserGroupUuids(dataSource.manager))];
    qb.andWhere((sub) => {
      if (groups.length === 0) return isSuperuser ? '1 = 0' : '1 = 1';
      const members = sub.subQuery().select('member.userId').from(GroupMember, 'member').where('member.groupUuid IN (:...superGroups)');
      return `user.id ${isSuperuser ? 'IN' : 'NOT IN'} ${members.getQuery()}`;
    });
    if (groups.length > 0) qb.setParameter('superGroups', groups);
  }

  const uuid = textParam(query, 'uuid');
  if (uuid !== undefined) {
    if (UUID_PATTERN.test(uuid.trim())) qb.andWhere('user.uuid = :uuid', { uuid: toUuidPk(uuid) });
    else errors.add('uuid', 'Enter a valid UUID.');
  }
  const pathPrefix = textParam(query, 'path_startswith');
  if (pathPrefix !== undefined) {
    qb.andWhere("user.path LIKE :pathPrefix ESCAPE '!'", { pathPrefix: `${escapeLike(pathPrefix)}%` });
  }
  const types = listParam(query, 'type');
  const badType = types.find((type) => !(USER_TYPES as readonly string[]).includes(type));
  if (badType !== undefined) errors.add('type', invalidChoice(badType));
  else if (types.length > 0) qb.andWhere('user.type IN (:...types)', { types });

  const roleFilters = await rolesFilters(dataSource, query, errors);
  errors.throwIfAny();
  // Each filter narrows on its own: a member of any of the roles it names.
  roleFilters.forEach((roleUuids, i) => {
    qb.andWhere((sub) => {
      const members = sub.subQuery().select('member.userId').from(RoleMember, 'member');
      return `user.id IN ${members.where(`member.roleUuid IN (:...roles${i})`).getQuery()}`;
    });
    qb.setParameter(`roles${i}`, roleUuids);
  });

  applySearch(qb, query, ['user.email', 'user.name', 'user.uuid', 'user.username']);
  applyOrdering(qb, query, ORDERING, DEFAULT_ORDERING, 'pk');
  return qb;
}

/** `roles_by_pk` / `roles_by_name`: every value must name an existing role (ModelMultipleChoiceFilter). */
async function rolesFilters(dataSource: DataSource, query: ListQuery, errors: FieldErrorCollector): Promise<string[][]> {
  const byPk = listParam(query, 'roles_by_pk');
  const byName = listParam(query, 'roles_by_name');
  const roles = dataSource.getRepository(Role);
  const found: string[][] = [];
  const badPk = byPk.find((value) => !UUID_PATTERN.test(value.trim()));
  if (badPk !== undefined) {
    errors.add('roles_by_pk', `“${badPk}” is not a valid value.`);
  } else if (byPk.length > 0) {
    const uuids = byPk.map((value) => toUuidPk(value)!);
    const existing = new Set((await roles.find({ where: { uuid: In(uuids) } })).map((role) => role.uuid));
    const missing = byPk.find((_, i) => !existing.has(uuids[i]));
    if (missing !== undefined) errors.add('roles_by_pk', invalidChoice(missing));
    found.push([...existing]);
  }
  if (byName.length > 0) {
    const existing = await roles.find({ where: { name: In(byName) } });
    const names = new Set(existing.map((role) => role.name));
    const missing = byName.find((name) => !names.has(name));
    if (missing !== undefined) errors.add('roles_by_name', invalidChoice(missing));
    found.push(existing.map((role) => role.uuid));
  }
  return found;
}
