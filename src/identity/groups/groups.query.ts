import { DataSource, In, SelectQueryBuilder } from 'typeorm';
import { applyOrdering, applySearch, booleanParam, FieldErrorCollector, listParam, ListQuery, textParam } from '@app/common';
import { GroupMember } from '../entities/group-member.entity';
import { Group } from '../entities/group.entity';
import { User } from '../entities/user.entity';

const ORDERING: Record<string, string> = { pk: 'grp.groupUuid', name: 'grp.name', is_superuser: 'grp.isSuperuser' };

const invalidChoice = (value: string) => `Select a valid choice. ${value} is not one of the available choices.`;

/**
 * `core_groups_list`: authentik's GroupFilter (`name`, `is_superuser`, `members_by_pk`,
 * `members_by_username`: direct members, each value must name an existing user), plain search
 * over the name, default order by name.
 */
export async function groupListQuery(dataSource: DataSource, query: ListQuery): Promise<SelectQueryBuilder<Group>> {
  const qb = dataSource.getRepository(Group).createQueryBuilder('grp');
  const errors = new FieldErrorCollector();
  const name = textParam(query, 'name');
  if (name !== undefined) qb.andWhere('grp.name = :name', { name });
  const isSuperuser = booleanParam(query, 'is_superuser');
  if (isSuperuser !== undefined) qb.andWhere('grp.isSuperuser = :isSuperuser', { isSuperuser });

  const members: number[][] = [];
  const byPk = listParam(query, 'members_by_pk');
  if (byPk.length > 0) {
    const bad = byPk.find((value) => !/^\s*\d{1,15}\s*$/.test(value));
    const pks = bad === undefined ? byPk.map((value) => Number.parseInt(value, 10)) : [];
    const existing = new Set(pks.length ? (await dataSource.getRepository(User).find({ where: { id: In(pks) } })).map((u) => u.id) : []);
    const missing = bad ?? byPk.find((_, i) => !existing.has(pks[i]));
    if (missing !== undefined) errors.add('members_by_pk', invalidChoice(missing));
    members.push([...existing]);
  }
  const byUsername = listParam(query, 'members_by_username');
  if (byUsername.length > 0) {
    const users = await dataSource.getRepository(User).find({ where: { username: In(byUsername) } });
    const names = new Set(users.map((user) => user.username));
    const missing = byUsername.find((username) => !names.has(username));
    if (missing !== undefined) errors.add('members_by_username', invalidChoice(missing));
    members.push(users.map((user) => user.id));
  }
  errors.throwIfAny();
  members.forEach((userIds, i) => {
    qb.andWhere((sub) => {
      if (userIds.length === 0) return '1 = 0';
      const groups = sub.subQuery().select('member.groupUuid').from(GroupMember, 'member').where(`member.userId IN (:...members${i})`);
      return `grp.groupUuid IN ${groups.getQuery()}`;
    });
    if (userIds.length) qb.setParameter(`members${i}`, userIds);
  });
  applySearch(qb, query, ['grp.name']);
  applyOrdering(qb, query, ORDERING, ['name'], 'pk');
  return qb;
}
