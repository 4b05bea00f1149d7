import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { formatMicros } from '@app/common';
import { GroupMember } from '../entities/group-member.entity';
import { Group } from '../entities/group.entity';
import { RoleMember } from '../entities/role-member.entity';
import { Role } from '../entities/role.entity';
import { User } from '../entities/user.entity';
import { superusersAmong } from '../groups/group-hierarchy';
import { partialGroup } from '../groups/group-json';
import { UserResponse } from './dto/user.dto';
import { UserIdentity, initialsAvatar } from './user-identity';

export interface UserPresentation {
  /** `?include_roles=false` / `?include_groups=false` answer `null` for the `*_obj` lists. */
  includeRoles?: boolean;
  includeGroups?: boolean;
}

/**
 * Turns user rows into authentik's `User` JSON (one query each for the roles, the groups and the
 * superuser status of all of them).
 */
@Injectable()
export class UserPresenter {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly identity: UserIdentity,
  ) {}

  async present(users: User[], options: UserPresentation = {}): Promise<UserResponse[]> {
    const ids = users.map((user) => user.id);
    const [roles, groups, superusers] = await Promise.all([this.rolesOf(ids), this.groupsOf(ids), this.superusersAmong(ids)]);
    return users.map((user) =>
      this.toJson(
        user,
        { roles: roles.get(user.id) ?? [], groups: groups.get(user.id) ?? [], isSuperuser: superusers.has(user.id) },
        options,
      ),
    );
  }

  async presentOne(user: User): Promise<UserResponse> {
    return (await this.present([user]))[0];
  }

  /** Roles of each user, by name. */
  async rolesOf(userIds: number[]): Promise<Map<number, Role[]>> {
    const byUser = new Map<number, Role[]>();
    if (userIds.length === 0) return byUser;
    const memberships = await this.dataSource.getRepository(RoleMember).find({
      where: { userId: In([...new Set(userIds)]) },
      relations: { role: true },
      order: { role: { name: 'ASC' } },
    });
    for (const { userId, role } of memberships) {
      if (!role) continue;
      byUser.set(userId, [...(byUser.get(userId) ?? []), role]);
    }
    return byUser;
  }

  /** Direct groups of each user, by name. */
  async groupsOf(userIds: number[]): Promise<Map<number, Group[]>> {
    const byUser = new Map<number, Group[]>();
    if (userIds.length === 0) return byUser;
    const memberships = await this.dataSource.getRepository(GroupMember).find({
      where: { userId: In([...new Set(userIds)]) },
      relations: { group: true },
      order: { group: { name: 'ASC' } },
    });
    for (const { userId, group } of memberships) {
      if (!group) continue;
      byUser.set(userId, [...(byUser.get(userId) ?? []), group]);
    }
    return byUser;
  }

  superusersAmong(userIds: number[]): Promise<Set<number>> {
    return superusersAmong(this.dataSource.manager, userIds);
  }

  uid(user: User): string {
    return this.identity.uid(user.id);
  }

  avatar(user: User): string {
    return initialsAvatar(user.name, user.username);
  }

  private toJson(user: User, related: { roles: Role[]; groups: Group[]; isSuperuser: boolean }, options: UserPresentation): UserResponse {
    const { roles, groups } = related;
    return {
      pk: user.id,
      username: user.username,
      name: user.name,
      is_active: user.isActive,
      last_login: formatMicros(user.lastLogin),
      date_joined: formatMicros(user.dateJoined)!,
      is_superuser: related.isSuperuser,
      groups: groups.map((group) => group.groupUuid),
      groups_obj: options.includeGroups === false ? null : groups.map(partialGroup),
      roles: roles.map((role) => role.uuid),
      roles_obj: options.includeRoles === false ? null : roles.map((role) => ({ pk: role.uuid, name: role.name })),
      email: user.email,
      avatar: this.avatar(user),
      attributes: user.attributes,
      uid: this.uid(user),
      path: user.path,
      type: user.type as UserResponse['type'],
      uuid: user.uuid,
      password_change_date: formatMicros(user.passwordChangeDate ?? user.dateJoined)!,
      last_updated: formatMicros(user.lastUpdated)!,
    };
  }
}
