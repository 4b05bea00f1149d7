import { EntityManager, In } from 'typeorm';
import { GroupMember } from '../entities/group-member.entity';
import { GroupParent } from '../entities/group-parent.entity';
import { GroupRole } from '../entities/group-role.entity';
import { Group } from '../entities/group.entity';
import { RoleMember } from '../entities/role-member.entity';
import { RolePermission } from '../entities/role-permission.entity';

/**
 * What group membership means, as authentik's `User.all_groups()` / `is_superuser` /
 * `all_roles()` define it: a user is in their direct groups and in all of those groups'
 * ancestors; a user in any `is_superuser` group of that set is a superuser; the roles of every
 * group in that set give their permissions. The hierarchy may be any directed graph (several
 * parents, even cycles, which authentik does not refuse either), so walks keep a visited set.
 * authentik keeps a materialized closure view; here the graph is walked one level per query, as
 * groups are few and hierarchies shallow.
 */

/** `start` and every group reachable from it along parent edges (`up`) or child edges (down). */
async function walk(m: EntityManager, start: Iterable<string>, direction: 'up' | 'down'): Promise<Set<string>> {
  const seen = new Set(start);
  let frontier = [...seen];
  while (frontier.length > 0) {
    const edges =
      direction === 'up'
        ? (await m.find(GroupParent, { where: { childUuid: In(frontier) } })).map((edge) => edge.parentUuid)
        : (await m.find(GroupParent, { where: { parentUuid: In(frontier) } })).map((edge) => edge.childUuid);
    frontier = edges.filter((uuid) => !seen.has(uuid));
    for (const uuid of frontier) seen.add(uuid);
  }
  return seen;
}

export const withAncestors = (m: EntityManager, groupUuids: Iterable<string>) => walk(m, groupUuids, 'up');
export const withDescendants = (m: EntityManager, groupUuids: Iterable<string>) => walk(m, groupUuids, 'down');

/** The groups whose members are superusers: `is_superuser` groups and all their descendants. */
export async function superuserGroupUuids(m: EntityManager): Promise<Set<string>> {
  const flagged = await m.find(Group, { where: { isSuperuser: true }, select: { groupUuid: true } });
  return withDescendants(
    m,
    flagged.map((group) => group.groupUuid),
  );
}

/** Which of `userIds` are superusers. */
export async function superusersAmong(m: EntityManager, userIds: readonly number[]): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const groups = await superuserGroupUuids(m);
  if (groups.size === 0) return new Set();
  const members = await m.find(GroupMember, { where: { userId: In([...new Set(userIds)]), groupUuid: In([...groups]) } });
  return new Set(members.map((member) => member.userId));
}

/** Every superuser's id, lowest first. */
export async function allSuperuserIds(m: EntityManager): Promise<number[]> {
  const groups = await superuserGroupUuids(m);
  if (groups.size === 0) return [];
  const members = await m.find(GroupMember, { where: { groupUuid: In([...groups]) } });
  return [...new Set(members.map((member) => member.userId))].sort((a, b) => a - b);
}

/** A user's effective standing: superuser or not, and the permissions their roles give. */
export async function effectiveAccess(m: EntityManager, userId: number): Promise<{ isSuperuser: boolean; permissions: string[] }> {
  const direct = (await m.find(GroupMember, { where: { userId } })).map((member) => member.groupUuid);
  const groups = await withAncestors(m, direct);
  const isSuperuser = groups.size > 0 && (await m.count(Group, { where: { groupUuid: In([...groups]), isSuperuser: true } })) > 0;
  if (isSuperuser) return { isSuperuser, permissions: [] };
  const roleUuids = new Set((await m.find(RoleMember, { where: { userId } })).map((member) => member.roleUuid));
  if (groups.size > 0) {
    for (const { roleUuid } of await m.find(GroupRole, { where: { groupUuid: In([...groups]) } })) roleUuids.add(roleUuid);
  }
  if (roleUuids.size === 0) return { isSuperuser, permissions: [] };
  const granted = await m.find(RolePermission, { where: { roleUuid: In([...roleUuids]) } });
  return { isSuperuser, permissions: [...new Set(granted.map((permission) => permission.codename))] };
}
