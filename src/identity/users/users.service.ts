import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { fetchPage, lastValue, ListQuery, noMatch, nowMicros, Paginated, translateUniqueViolation } from '@app/common';
import { KNOWN_PERMISSIONS, Principal } from '@app/auth';
import { auditedUpdate, auditedUpdateAhead, PreviewedUpdate } from '../audit/audited-change';
import { AuditOrigin, ModelAudit } from '../audit/model-audit';
import { userState } from '../audit/model-states';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { mayPauseInTransactions } from '../../database/transaction-pauses';
import { GroupMember } from '../entities/group-member.entity';
import { RoleMember } from '../entities/role-member.entity';
import { Token } from '../entities/token.entity';
import { User } from '../entities/user.entity';
import { PatchedUserRequest, UserRequest } from './dto/user-request.dto';
import { SessionUserResponse, UserResponse, UserSelfResponse } from './dto/user.dto';
import { NewUser, UserChanges } from './user-fields';
import { UserInput } from './user-input';
import { UserPresenter } from './user-presenter';
import { userListQuery } from './users.query';

/**
 * Users (`/api/v3/core/users/`). `create`, `update` and `remove` are the only code paths that
 * write a user — the API, the bootstrap and any other module go through them, so this is where
 * model events are recorded.
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly presenter: UserPresenter,
    private readonly input: UserInput,
    private readonly audit: ModelAudit,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async list(query: ListQuery): Promise<Paginated<UserResponse>> {
    const { pagination, rows } = await fetchPage(await userListQuery(this.dataSource, query), query, this.config.pagination);
    const results = await this.presenter.present(rows, {
      includeRoles: isTrueOrAbsent(query.include_roles),
      includeGroups: isTrueOrAbsent(query.include_groups),
    });
    return { pagination, results, autocomplete: {} };
  }

  async retrieve(pk: number): Promise<UserResponse> {
    return this.presenter.presentOne(await this.findByPk(pk));
  }

  /** `me/`: the caller as `UserSelf`; a token session has exactly one user. */
  async me(principal: Principal): Promise<SessionUserResponse> {
    const user = await this.findByPk(principal.user.pk);
    const roles = (await this.presenter.rolesOf([user.id])).get(user.id) ?? [];
    const groups = (await this.presenter.groupsOf([user.id])).get(user.id) ?? [];
    const granted = principal.user.is_superuser ? KNOWN_PERMISSIONS : [...principal.permissions];
    const self: UserSelfResponse = {
      pk: user.id,
      username: user.username,
      name: user.name,
      is_active: user.isActive,
      is_superuser: principal.user.is_superuser,
      is_current: true,
      groups: groups.map((group) => ({ name: group.name, pk: group.groupUuid })),
      roles: roles.map((role) => ({ name: role.name, pk: role.uuid })),
      email: user.email,
      avatar: this.presenter.avatar(user),
      uid: this.presenter.uid(user),
      settings: isObject(user.attributes.settings) ? user.attributes.settings : {},
      type: user.type as UserSelfResponse['type'],
      // authentik lists the caller's `authentik_rbac` permissions without the app label.
      system_permissions: granted
        .filter((permission) => permission.startsWith('authentik_rbac.'))
        .map((permission) => permission.slice('authentik_rbac.'.length))
        .sort(),
    };
    return { user: self, users: [self] };
  }

  /** `principal`: the caller, whose permissions decide which groups they may put users in. */
  async createFromRequest(body: UserRequest, origin?: AuditOrigin, principal?: Principal): Promise<UserResponse> {
    const fields = await this.input.forCreate(body, principal);
    const user = await this.dataSource.transaction((m) => this.create(fields, m, origin));
    return this.presenter.presentOne(user);
  }

  /** PUT: every writable field as sent, absent ones at their defaults (`roles`, `groups` empty). */
  async replace(pk: number, body: UserRequest, origin?: AuditOrigin, principal?: Principal): Promise<UserResponse> {
    const user = await this.findByPk(pk);
    return this.applyChanges(user, await this.input.forReplace(body, user, principal), origin);
  }

  /** PATCH: only the fields sent. */
  async patch(pk: number, body: PatchedUserRequest, origin?: AuditOrigin, principal?: Principal): Promise<UserResponse> {
    const user = await this.findByPk(pk);
    return this.applyChanges(user, await this.input.forPatch(body, user, principal), origin);
  }

  private async applyChanges(user: User, changes: UserChanges, origin?: AuditOrigin): Promise<UserResponse> {
    // SQLite: the model_updated event is computed before the transaction (a user's attributes may be large).
    const updated = mayPauseInTransactions(this.config.database.type)
      ? await this.dataSource.transaction((m) => this.update(user, changes, m, origin))
      : await auditedUpdateAhead(this.audit, this.userUpdate(user, changes), this.dataSource, origin);
    return this.presenter.presentOne(updated);
  }

  async destroy(pk: number, origin?: AuditOrigin): Promise<void> {
    const user = await this.findByPk(pk);
    await this.dataSource.transaction((m) => this.remove(user, m, origin));
  }

  async findByPk(pk: number): Promise<User> {
    const user = await this.dataSource.getRepository(User).findOne({ where: { id: pk } });
    if (!user) throw noMatch('User');
    return user;
  }

  async findByUsername(username: string, m: EntityManager = this.dataSource.manager): Promise<User | null> {
    return m.findOne(User, { where: { username } });
  }

  /**
   * The one way a user comes into being; records `model_created` (in `m`'s transaction). `origin`:
   * the request or actor behind the change, when there is one.
   */
  async create(fields: NewUser, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<User> {
    const now = nowMicros();
    const { roleUuids = [], groupUuids = [], ...columns } = fields;
    const user = m.create(User, {
      uuid: randomUUID(),
      email: '',
      isActive: true,
      lastLogin: null,
      path: 'users',
      type: 'internal',
      attributes: {},
      ...columns,
      dateJoined: now,
      lastUpdated: now,
      passwordChangeDate: now,
    });
    const saved = await translateUniqueViolation(() => m.save(user), 'username', 'This field must be unique.');
    await this.replaceRoles(saved, roleUuids, m);
    await this.replaceGroups(saved, groupUuids, m);
    await this.audit.created(saved, origin, m);
    return saved;
  }

  /** The one way a user changes; records `model_updated` with the diff (roles and groups included when given). */
  async update(user: User, changes: UserChanges, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<User> {
    return auditedUpdate(this.audit, this.userUpdate(user, changes), m, origin);
  }

  private userUpdate(user: User, changes: UserChanges): PreviewedUpdate<User> {
    const { roleUuids, groupUuids, ...columns } = changes;
    const written = { ...columns, lastUpdated: nowMicros() };
    const preview = this.dataSource.manager.create(User, { ...user, ...written });
    // Roles and groups take part in the diff only when the change touches them.
    const readBefore = async (tx: EntityManager) =>
      userState(user, roleUuids && (await this.roleUuidsOf(user, tx)), groupUuids && (await this.groupUuidsOf(user, tx)));
    return {
      before: readBefore,
      apply: async (tx) => {
        await translateUniqueViolation(
          () => tx.update(User, { id: user.id }, written as QueryDeepPartialEntity<User>),
          'username',
          'This field must be unique.',
        );
        if (roleUuids !== undefined) await this.replaceRoles(preview, roleUuids, tx);
        if (groupUuids !== undefined) await this.replaceGroups(preview, groupUuids, tx);
        return preview;
      },
      after: (updated) => userState(updated, roleUuids, groupUuids),
      preview,
      // Every change of a user's columns moves `last_updated`; memberships are compared when they are part of the diff.
      stillBefore: async (tx, before) => {
        const stored = await tx.findOne(User, { select: { id: true, lastUpdated: true }, where: { id: user.id } });
        if (stored?.lastUpdated !== user.lastUpdated) return false;
        const now = await readBefore(tx);
        return JSON.stringify([now.roles, now.groups]) === JSON.stringify([before.roles, before.groups]);
      },
    };
  }

  /**
   * The one way a user goes; their tokens and memberships go with them (ON DELETE CASCADE). Each
   * token gets its own `model_deleted`, before the user's, as Django's cascade signals it in authentik.
   */
  async remove(user: User, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<void> {
    const tokens = await m.find(Token, { where: { userId: user.id } });
    await m.delete(User, { id: user.id });
    for (const token of tokens) await this.audit.deleted(token, origin, m);
    await this.audit.deleted(user, origin, m);
  }

  private async roleUuidsOf(user: User, m: EntityManager): Promise<string[]> {
    return (await m.find(RoleMember, { where: { userId: user.id } })).map((membership) => membership.roleUuid);
  }

  private async groupUuidsOf(user: User, m: EntityManager): Promise<string[]> {
    return (await m.find(GroupMember, { where: { userId: user.id } })).map((membership) => membership.groupUuid);
  }

  private async replaceGroups(user: User, groupUuids: string[], m: EntityManager): Promise<void> {
    await m.delete(GroupMember, { userId: user.id });
    const unique = [...new Set(groupUuids)];
    if (unique.length)
      await m.insert(
        GroupMember,
        unique.map((groupUuid) => ({ groupUuid, userId: user.id })),
      );
  }

  private async replaceRoles(user: User, roleUuids: string[], m: EntityManager): Promise<void> {
    await m.delete(RoleMember, { userId: user.id });
    const unique = [...new Set(roleUuids)];
    if (unique.length)
      await m.insert(
        RoleMember,
        unique.map((roleUuid) => ({ roleUuid, userId: user.id })),
      );
  }
}

/** authentik includes roles/groups unless the parameter is something other than "true". */
function isTrueOrAbsent(value: unknown): boolean {
  const given = lastValue(value);
  return given === undefined || String(given).toLowerCase() === 'true';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
