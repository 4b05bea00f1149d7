import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Not } from 'typeorm';
import { FieldErrors } from '../common/field-errors';
import { pkDoesNotExist, toUuidPk } from '../common/related-fields';
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

  async forCreate(body: UserRequest): Promise<NewUser> {
    await this.check(body, null);
    return { ...withRoleDefault(toChanges(body)), username: body.username, name: body.name };
  }

  /** PUT: `groups`/`roles` default to empty lists (DRF `default=list`), as on create. */
  async forReplace(body: UserRequest, existing: User): Promise<UserChanges> {
    await this.check(body, existing);
    return withRoleDefault(toChanges(body));
  }

  /** PATCH: only what was sent; roles left alone when `roles` is absent. */
  async forPatch(body: PatchedUserRequest, existing: User): Promise<UserChanges> {
    await this.check(body, existing);
    return toChanges(body);
  }

  private async check(body: UserRequest | PatchedUserRequest, existing: User | null): Promise<void> {
    const errors = new FieldErrors();
    if (body.username !== undefined && (await this.usernameTaken(body.username, existing))) {
      errors.add('username', 'This field must be unique.');
    }
    // eventlog has no groups, so any group named is one that does not exist.
    if (body.groups?.length) errors.add('groups', pkDoesNotExist(body.groups[0]));
    if (body.roles?.length) {
      const missing = await this.firstMissingRole(body.roles);
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

  /** The first value (as sent) that names no role, as DRF stops at the first bad item. */
  private async firstMissingRole(values: unknown[]): Promise<unknown> {
    const uuids = values.map(toUuidPk);
    const wanted = uuids.filter((uuid): uuid is string => uuid !== null);
    const existing = new Set(
      wanted.length ? (await this.dataSource.getRepository(Role).find({ where: { uuid: In(wanted) } })).map((r) => r.uuid) : [],
    );
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
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as UserChanges;
}

/** `groups`/`roles` default to empty lists on create and PUT (DRF `default=list`), not on PATCH. */
function withRoleDefault(changes: UserChanges): UserChanges {
  return { ...changes, roleUuids: changes.roleUuids ?? [] };
}
