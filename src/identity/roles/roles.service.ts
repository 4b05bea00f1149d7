import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Not } from 'typeorm';
import { hasPermission, Permission, Principal } from '@app/auth';
import { fetchPage, FieldErrorCollector, ListQuery, noMatch, notFound, Paginated, translateUniqueViolation } from '@app/common';
import { auditedUpdate } from '../audit/audited-change';
import { AuditOrigin, ModelAudit } from '../audit/model-audit';
import { roleState } from '../audit/model-states';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { RoleMember } from '../entities/role-member.entity';
import { Role } from '../entities/role.entity';
import { User } from '../entities/user.entity';
import { PatchedRoleRequest, RoleRequest, UserAccountSerializerForRoleRequest } from './dto/role-request.dto';
import { RoleResponse } from './dto/role.dto';
import { roleListQuery } from './roles.query';

const NAME_TAKEN = 'Role with this name already exists.';

export interface RoleFields {
  name: string;
}

/**
 * Roles (`/api/v3/rbac/roles/`). `create`, `update` and `remove` are the only code paths that
 * write a role; `addMember` / `removeMember` the only ones that change who holds it.
 */
@Injectable()
export class RolesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: ModelAudit,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async list(query: ListQuery): Promise<Paginated<RoleResponse>> {
    const { pagination, rows } = await fetchPage(roleListQuery(this.dataSource, query), query, this.config.pagination);
    return { pagination, results: rows.map(present), autocomplete: {} };
  }

  async retrieve(uuid: string): Promise<RoleResponse> {
    return present(await this.findByUuid(uuid));
  }

  async createFromRequest(body: RoleRequest, origin?: AuditOrigin): Promise<RoleResponse> {
    await this.checkNameFree(body.name, null);
    return present(await this.dataSource.transaction((m) => this.create({ name: body.name }, m, origin)));
  }

  /** PUT: `name` is the role's only writable field, and required here. */
  async replace(uuid: string, body: RoleRequest, origin?: AuditOrigin): Promise<RoleResponse> {
    return this.applyChanges(uuid, { name: body.name }, origin);
  }

  /** PATCH: the name when sent; an empty body still records the (empty) `model_updated`. */
  async patch(uuid: string, body: PatchedRoleRequest, origin?: AuditOrigin): Promise<RoleResponse> {
    return this.applyChanges(uuid, body.name === undefined ? {} : { name: body.name }, origin);
  }

  private async applyChanges(uuid: string, changes: Partial<RoleFields>, origin?: AuditOrigin): Promise<RoleResponse> {
    const role = await this.findByUuid(uuid);
    if (changes.name !== undefined) await this.checkNameFree(changes.name, role);
    return present(await this.dataSource.transaction((m) => this.update(role, changes, m, origin)));
  }

  async destroy(uuid: string, origin?: AuditOrigin): Promise<void> {
    const role = await this.findByUuid(uuid);
    await this.dataSource.transaction((m) => this.remove(role, m, origin));
  }

  /** `add_user/`: the user must exist and be visible to the caller (`view_user`), else 404. */
  async addUser(principal: Principal, uuid: string, body: UserAccountSerializerForRoleRequest, origin?: AuditOrigin): Promise<void> {
    const role = await this.findByUuid(uuid);
    const user = await this.findVisibleUser(principal, body.pk);
    await this.dataSource.transaction((m) => this.addMember(role, user, m, origin));
  }

  async removeUser(principal: Principal, uuid: string, body: UserAccountSerializerForRoleRequest, origin?: AuditOrigin): Promise<void> {
    const role = await this.findByUuid(uuid);
    const user = await this.findVisibleUser(principal, body.pk);
    await this.dataSource.transaction((m) => this.removeMember(role, user, m, origin));
  }

  async findByUuid(uuid: string): Promise<Role> {
    const role = await this.dataSource.getRepository(Role).findOne({ where: { uuid } });
    if (!role) throw noMatch('Role');
    return role;
  }

  /**
   * The one way a role comes into being; records `model_created` (in `m`'s transaction).
   * `origin`: the request or actor behind the change, if any.
   */
  async create(fields: RoleFields, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<Role> {
    const role = m.create(Role, { uuid: randomUUID(), ...fields });
    await translateUniqueViolation(() => m.insert(Role, role), 'name', NAME_TAKEN);
    await this.audit.created(role, origin, m);
    return role;
  }

  /** The one way a role changes; records `model_updated` with the diff. */
  async update(role: Role, changes: Partial<RoleFields>, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<Role> {
    return auditedUpdate(
      this.audit,
      {
        before: () => roleState(role),
        apply: async (tx) => {
          if (Object.keys(changes).length) {
            await translateUniqueViolation(() => tx.update(Role, { uuid: role.uuid }, changes), 'name', NAME_TAKEN);
          }
          return tx.create(Role, { ...role, ...changes });
        },
        after: roleState,
      },
      m,
      origin,
    );
  }

  /** The one way a role goes; memberships and permissions go with it (ON DELETE CASCADE). */
  async remove(role: Role, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<void> {
    await m.delete(Role, { uuid: role.uuid });
    await this.audit.deleted(role, origin, m);
  }

  /**
   * Who holds a role is a privilege change, so it is recorded (issue 13) as the role's
   * `model_updated` with `{"users": {"add": [<user pk>]}}`, although authentik's AuditMiddleware
   * leaves m2m changes of roles unlogged. Adding a member twice or removing a non-member records nothing.
   */
  async addMember(role: Role, user: User, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<void> {
    const membership = { roleUuid: role.uuid, userId: user.id };
    if (await m.count(RoleMember, { where: membership })) return;
    await m.insert(RoleMember, membership);
    await this.audit.relationChanged(role, 'users', 'add', [user.id], origin, m);
  }

  async removeMember(role: Role, user: User, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<void> {
    const result = await m.delete(RoleMember, { roleUuid: role.uuid, userId: user.id });
    if (!result.affected) return;
    await this.audit.relationChanged(role, 'users', 'remove', [user.id], origin, m);
  }

  private async checkNameFree(name: string, existing: Role | null): Promise<void> {
    const where = existing ? { name, uuid: Not(existing.uuid) } : { name };
    if (!(await this.dataSource.getRepository(Role).count({ where }))) return;
    const errors = new FieldErrorCollector();
    errors.add('name', NAME_TAKEN);
    errors.throwIfAny();
  }

  private async findVisibleUser(principal: Principal, pk: number): Promise<User> {
    const user = hasPermission(principal, Permission.viewUser)
      ? await this.dataSource.getRepository(User).findOne({ where: { id: pk } })
      : null;
    // authentik raises a bare Http404 here, hence `Not found.` rather than "No User matches".
    if (!user) throw notFound();
    return user;
  }
}

function present(role: Role): RoleResponse {
  return { pk: role.uuid, name: role.name };
}
