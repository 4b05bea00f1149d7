import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Not } from 'typeorm';
import { FieldErrorCollector, pkDoesNotExist, toUuidPk } from '@app/common';
import type { Principal } from '@app/auth';
import { GroupMember } from '../entities/group-member.entity';
import { Group } from '../entities/group.entity';
import { superuserGrantProblem } from '../groups/superuser-grants';
import { Role } from '../entities/role.entity';
import { User } from '../entities/user.entity';
import { PatchedUserRequest, UserRequest } from './dto/user-request.dto';
import { NewUser, UserChanges } from './user-fields';

const INTERNAL_SERVICE_ACCOUNT = 'internal_service_account';

/**
 * The parts of authentik's UserSerializer validation that need the database or the existing
 * user: unique username (an explicit UniqueValidator, hence DRF's generic message), existing
 * roles and groups, `validate_path`, `validate_type`, and `validate` for internal service
 * accounts. Turns an accepted body into the changes to write.
 */
@Injectable()
export class UserInput {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * `principal`: the caller; putting a user in or out of a group that makes superusers needs the
   * group superuser permissions (groups/superuser-grants.ts). Without one, no such check (internal callers).
   */
  async forCreate(body: UserRequest, principal?: Principal): Promise<NewUser> {
    await this.check(body, null, principal);
    return { ...withListDefaults(toChanges(body)), username: body.username, name: body.name };
  }

  /** PUT: `groups`/`roles` default to empty lists (DRF `default=list`), as on create. */
  async forReplace(body: UserRequest, existing: User, principal?: Principal): Promise<UserChanges> {
    const changes = withListDefaults(toChanges(body));
    await this.check({ ...body, groups: body.groups ?? [] }, existing, principal);
    return changes;
  }

  /** PATCH: only what was sent; roles and groups left alone when absent. */
  async forPatch(body: PatchedUserRequest, existing: User, principal?: Principal): Promise<UserChanges> {
    await this.check(body, existing, principal);
    return toChanges(body);
  }

  private async check(body: UserRequest | PatchedUserRequest, existing: User | null, principal?: Principal): Promise<void> {
    const errors = new FieldErrorCollector();
    if (body.username !== undefined && (await this.usernameTaken(body.username, existing))) {
      errors.add('username', 'This field must be unique.');
    }
    if (body.groups?.length) {
      const missing = await this.firstMissing(Group, 'groupUuid', body.groups);
      if (missing !== undefined) errors.add('groups', pkDoesNotExist(missing));
    }
    if (principal && !errors.has('groups') && body.groups !== undefined) {
      const wanted = new Set((body.groups ?? []).map((group) => toUuidPk(group)!));
      const current = existing
        ? (await this.dataSource.getRepository(GroupMember).find({ where: { userId: existing.id } })).map((m) => m.groupUuid)
        : [];
      const added = [...wanted].filter((uuid) => !current.includes(uuid));
      const removed = current.filter((uuid) => !wanted.has(uuid));
      const problem = await superuserGrantProblem(this.dataSource.manager, principal, added, removed);
      if (problem) errors.add('groups', problem);
    }
    if (body.roles?.length) {
      const missing = await this.firstMissing(Role, 'uuid', body.roles);
      if (missing !== undefined) errors.add('roles', pkDoesNotExist(missing));
    }
    if (body.path !== undefined) {
      const problem = pathProblem(body.path);
      if (problem) errors.add('path', problem);
    }
    if (body.type !== undefined) {
      const problem = typeProblem(body.type, existing);
      if (problem) errors.add('type', problem);
    }
    errors.throwIfAny();
    if (existing?.type === INTERNAL_SERVICE_ACCOUNT) {
      errors.add('non_field_errors', "Can't modify internal service account users");
      errors.throwIfAny();
    }
  }

  private async usernameTaken(username: string, existing: User | null): Promise<boolean> {
    const where = existing ? { username, id: Not(existing.id) } : { username };
    return (await this.dataSource.getRepository(User).count({ where })) > 0;
  }

  /** The first value (as sent) that names no role or group, as DRF stops at the first bad item. */
  private async firstMissing(entity: typeof Role | typeof Group, key: 'uuid' | 'groupUuid', values: unknown[]): Promise<unknown> {
    const uuids = values.map(toUuidPk);
    const wanted = uuids.filter((uuid): uuid is string => uuid !== null);
    const rows = (
      wanted.length ? await this.dataSource.getRepository<object>(entity).find({ where: { [key]: In(wanted) } }) : []
    ) as Record<string, unknown>[];
    const existing = new Set(rows.map((row) => row[key]));
    const index = uuids.findIndex((uuid) => uuid === null || !existing.has(uuid));
    return index === -1 ? undefined : values[index];
  }
}

function pathProblem(path: string): string | null {
  if (path.startsWith('/') || path.endsWith('/')) return 'No leading or trailing slashes allowed.';
  if (path.split('/').some((segment) => segment === '')) return 'No empty segments in user path allowed.';
  return null;
}

function typeProblem(type: string, existing: User | null): string | null {
  if (existing?.type === INTERNAL_SERVICE_ACCOUNT && type !== INTERNAL_SERVICE_ACCOUNT) {
    return "Can't change internal service account to other user type.";
  }
  if (!existing && type === INTERNAL_SERVICE_ACCOUNT) return 'Setting a user to internal service account is not allowed.';
  return null;
}

/** The fields sent, as columns; absent ones left out. */
function toChanges(body: UserRequest | PatchedUserRequest): UserChanges {
  const changes: UserChanges = {
    username: body.username,
    name: body.name,
    email: body.email,
    isActive: body.is_active,
    lastLogin: body.last_login,
    path: body.path,
    type: body.type,
    attributes: body.attributes,
    roleUuids: body.roles?.map((role) => toUuidPk(role)!),
    groupUuids: body.groups?.map((group) => toUuidPk(group)!),
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as UserChanges;
}

/** `groups`/`roles` default to empty lists on create and PUT (DRF `default=list`), not on PATCH. */
function withListDefaults(changes: UserChanges): UserChanges {
  return { ...changes, roleUuids: changes.roleUuids ?? [], groupUuids: changes.groupUuids ?? [] };
}
