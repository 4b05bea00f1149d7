import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { formatMicros, lastValue } from '@app/common';
import { GroupMember } from '../entities/group-member.entity';
import { GroupParent } from '../entities/group-parent.entity';
import { GroupRole } from '../entities/group-role.entity';
import { Group } from '../entities/group.entity';
import { Role } from '../entities/role.entity';
import { User } from '../entities/user.entity';
import { UserIdentity } from '../users/user-identity';
import { GroupResponse } from './dto/group.dto';
import { withAncestors } from './group-hierarchy';
import { numPk, relatedGroup } from './group-json';

/** Which optional expansions a list or retrieve asked for (authentik's `include_*` parameters). */
export interface GroupExpansions {
  users: boolean;
  parents: boolean;
  children: boolean;
  inheritedRoles: boolean;
}

/** Only the text `true` (any case) turns an expansion on; `1` does not (authentik's check). */
export function groupExpansions(query: Record<string, unknown>): GroupExpansions {
  const flag = (name: string, absent: boolean) => {
    const value = lastValue(query[name]);
    return value === undefined ? absent : String(value).toLowerCase() === 'true';
  };
  return {
    users: flag('include_users', true),
    parents: flag('include_parents', false),
    children: flag('include_children', false),
    inheritedRoles: flag('include_inherited_roles', false),
  };
}

const ALL: GroupExpansions = { users: true, parents: false, children: false, inheritedRoles: false };

/** Turns group rows into authentik's `Group` JSON, with one query per relation for the whole page. */
@Injectable()
export class GroupPresenter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly identity: UserIdentity,
  ) {}

  async present(groups: Group[], expand: GroupExpansions = ALL): Promise<GroupResponse[]> {
    const uuids = groups.map((group) => group.groupUuid);
    if (uuids.length === 0) return [];
    const m = this.dataSource.manager;
    const [members, parentEdges, childEdges, groupRoles] = await Promise.all([
      m.find(GroupMember, { where: { groupUuid: In(uuids) }, relations: { user: true }, order: { userId: 'ASC' } }),
      m.find(GroupParent, { where: { childUuid: In(uuids) }, relations: { parent: true } }),
      m.find(GroupParent, { where: { parentUuid: In(uuids) }, relations: { child: true } }),
      m.find(GroupRole, { where: { groupUuid: In(uuids) }, relations: { role: true } }),
    ]);
    const by = <T, V>(rows: T[], key: (row: T) => string, value: (row: T) => V | undefined) => {
      const map = new Map<string, V[]>();
      for (const row of rows) {
        const v = value(row);
        if (v !== undefined) map.set(key(row), [...(map.get(key(row)) ?? []), v]);
      }
      return map;
    };
    const users = by(
      members,
      (r) => r.groupUuid,
      (r) => r.user,
    );
    const parents = by(
      parentEdges,
      (r) => r.childUuid,
      (r) => r.parent,
    );
    const children = by(
      childEdges,
      (r) => r.parentUuid,
      (r) => r.child,
    );
    const roles = by(
      groupRoles,
      (r) => r.groupUuid,
      (r) => r.role,
    );
    const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const results: GroupResponse[] = [];
    for (const group of groups) {
      const id = group.groupUuid;
      const own = (roles.get(id) ?? []).sort(byName);
      results.push({
        pk: id,
        num_pk: numPk(id),
        name: group.name,
        is_superuser: group.isSuperuser,
        parents: (parents.get(id) ?? []).map((g) => g.groupUuid),
        parents_obj: expand.parents ? (parents.get(id) ?? []).sort(byName).map(relatedGroup) : null,
        users: (users.get(id) ?? []).map((u) => u.id),
        users_obj: expand.users ? (users.get(id) ?? []).map((u) => this.partialUser(u)) : null,
        attributes: group.attributes,
        roles: own.map((role) => role.uuid),
        roles_obj: own.map((role) => ({ pk: role.uuid, name: role.name })),
        inherited_roles_obj: expand.inheritedRoles ? await this.inheritedRoles(group, own) : null,
        children: (children.get(id) ?? []).map((g) => g.groupUuid),
        children_obj: expand.children ? (children.get(id) ?? []).sort(byName).map(relatedGroup) : null,
      });
    }
    return results;
  }

  async presentOne(group: Group, expand: GroupExpansions = ALL): Promise<GroupResponse> {
    return (await this.present([group], expand))[0];
  }

  /** The roles of every ancestor, less the group's own. */
  private async inheritedRoles(group: Group, own: Role[]) {
    const ancestors = await withAncestors(this.dataSource.manager, [group.groupUuid]);
    ancestors.delete(group.groupUuid);
    if (ancestors.size === 0) return [];
    const rows = await this.dataSource.manager.find(GroupRole, { where: { groupUuid: In([...ancestors]) }, relations: { role: true } });
    const ownUuids = new Set(own.map((role) => role.uuid));
    const inherited = new Map<string, Role>();
    for (const { role } of rows) if (role && !ownUuids.has(role.uuid)) inherited.set(role.uuid, role);
    return [...inherited.values()].sort((a, b) => (a.name < b.name ? -1 : 1)).map((role) => ({ pk: role.uuid, name: role.name }));
  }

  private partialUser(user: User) {
    return {
      pk: user.id,
      username: user.username,
      name: user.name,
      is_active: user.isActive,
      last_login: formatMicros(user.lastLogin),
      email: user.email,
      attributes: user.attributes,
      uid: this.identity.uid(user.id),
    };
  }
}
