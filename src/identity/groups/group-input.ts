import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Not } from 'typeorm';
import { hasPermission, Permission, Principal } from '@app/auth';
import { FieldErrorCollector, pkDoesNotExist, toIntegerPk, toUuidPk } from '@app/common';
import { GroupMember } from '../entities/group-member.entity';
import { GroupParent } from '../entities/group-parent.entity';
import { Group } from '../entities/group.entity';
import { Role } from '../entities/role.entity';
import { User } from '../entities/user.entity';
import { GroupRequest, PatchedGroupRequest } from './dto/group-request.dto';
import { superuserGroupUuids } from './group-hierarchy';
import type { GroupFields } from './group-fields';
import { superuserStatusDenied } from './superuser-grants';

export const NAME_TAKEN = 'Group with this name already exists.';

/**
 * The parts of authentik's GroupSerializer validation that need the database or the caller, and
 * the guard on superuser status through membership (superuser-grants.ts). Turns an accepted body
 * into the fields to write; every problem is reported in one 400.
 */
@Injectable()
export class GroupInput {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * GroupSerializer's checks: unique name, existing users, parents and roles, and the superuser
   * rule (setting the flag to true on create, or changing it, needs `enable_group_superuser` /
   * `disable_group_superuser`). All problems are reported together.
   */
  async toFields(
    principal: Principal,
    body: GroupRequest | PatchedGroupRequest,
    existing: Group | null,
    partial: boolean,
  ): Promise<Partial<GroupFields>> {
    const errors = new FieldErrorCollector();
    const m = this.dataSource.manager;
    if (body.name !== undefined) {
      const where = existing ? { name: body.name, groupUuid: Not(existing.groupUuid) } : { name: body.name };
      if (await m.count(Group, { where })) errors.add('name', NAME_TAKEN);
    }
    if (body.is_superuser !== undefined && body.is_superuser !== (existing?.isSuperuser ?? false)) {
      const needed = body.is_superuser ? Permission.enableGroupSuperuser : Permission.disableGroupSuperuser;
      if (!hasPermission(principal, needed)) {
        errors.add('is_superuser', `User does not have permission to set superuser status to ${body.is_superuser ? 'True' : 'False'}.`);
      }
    }
    const userIds = body.users?.map(toIntegerPk);
    if (body.users && userIds!.length) {
      const found = new Set((await m.find(User, { where: { id: In(userIds!) } })).map((user) => user.id));
      const index = userIds!.findIndex((pk) => !found.has(pk));
      if (index !== -1) errors.add('users', pkDoesNotExist(body.users[index]));
    }
    const parentUuids = await this.existingUuids(Group, 'groupUuid', body.parents, 'parents', errors);
    const roleUuids = await this.existingUuids(Role, 'uuid', body.roles, 'roles', errors);
    errors.throwIfAny();
    await this.checkSuperuserReach(principal, body, existing, userIds ?? (partial ? undefined : []), parentUuids, errors);
    errors.throwIfAny();
    const fields: Partial<GroupFields> = {
      name: body.name,
      isSuperuser: body.is_superuser,
      attributes: body.attributes,
      userIds: userIds ?? (partial ? undefined : []),
      parentUuids,
      roleUuids,
    };
    return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  }

  /**
   * Members of a group that makes superusers are superusers, so a change that makes users gain or
   * lose that status through this group needs what changing the flag needs (superuser-grants.ts):
   * adding members to such a group, or making the group one through its parents (the flag itself
   * is checked with authentik's rule above); removing members, or unmaking it, the reverse.
   */
  private async checkSuperuserReach(
    principal: Principal,
    body: GroupRequest | PatchedGroupRequest,
    existing: Group | null,
    userIds: number[] | undefined,
    parentUuids: string[] | undefined,
    errors: FieldErrorCollector,
  ): Promise<void> {
    const m = this.dataSource.manager;
    const superGroups = await superuserGroupUuids(m);
    const wasSuper = existing !== null && superGroups.has(existing.groupUuid);
    const flagged = body.is_superuser ?? existing?.isSuperuser ?? false;
    const parents =
      parentUuids ??
      (existing ? (await m.find(GroupParent, { where: { childUuid: existing.groupUuid } })).map((edge) => edge.parentUuid) : []);
    // The set of superuser groups is closed under descent: a parent in it makes this group one.
    const willBeSuper = flagged || parents.some((uuid) => superGroups.has(uuid) && uuid !== existing?.groupUuid);
    const members = existing
      ? (await m.find(GroupMember, { where: { groupUuid: existing.groupUuid } })).map((member) => member.userId)
      : [];
    const after = new Set(userIds ?? members);
    const added = [...after].some((id) => !members.includes(id));
    const removed = members.some((id) => !after.has(id));
    const mayEnable = hasPermission(principal, Permission.enableGroupSuperuser);
    const mayDisable = hasPermission(principal, Permission.disableGroupSuperuser);
    if (!wasSuper && willBeSuper && !mayEnable && parentUuids !== undefined && body.is_superuser !== true)
      errors.add('parents', superuserStatusDenied(true));
    if (wasSuper && !willBeSuper && !mayDisable && parentUuids !== undefined && body.is_superuser !== false)
      errors.add('parents', superuserStatusDenied(false));
    if (willBeSuper && added && !mayEnable) errors.add('users', superuserStatusDenied(true));
    if (wasSuper && removed && !mayDisable) errors.add('users', superuserStatusDenied(false));
  }

  /** The stored form of each sent UUID; the first that names nothing is a field error. */
  private async existingUuids(
    entity: typeof Group | typeof Role,
    key: 'groupUuid' | 'uuid',
    values: unknown[] | undefined,
    field: string,
    errors: FieldErrorCollector,
  ): Promise<string[] | undefined> {
    if (values === undefined) return undefined;
    const uuids = values.map(toUuidPk);
    const wanted = uuids.filter((uuid): uuid is string => uuid !== null);
    const rows = (
      wanted.length ? await this.dataSource.getRepository<object>(entity).find({ where: { [key]: In(wanted) } }) : []
    ) as Record<string, unknown>[];
    const found = new Set(rows.map((row) => row[key]));
    const index = uuids.findIndex((uuid) => uuid === null || !found.has(uuid));
    if (index !== -1) errors.add(field, pkDoesNotExist(values[index]));
    return uuids as string[];
  }
}
