import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { DrfMessage, FieldErrorCollector } from '@app/common';
import { AuditOrigin, ModelAudit } from '../audit/model-audit';
import { RolePermission } from '../entities/role-permission.entity';
import type { Role } from '../entities/role.entity';
import { isKnownPermission } from '@app/auth';
import { RolesService } from '../roles/roles.service';
import { PermissionAssignRequest, PermissionAssignResult } from './dto/permission-assign.dto';

/**
 * Global permissions of a role (`/api/v3/rbac/permissions/assigned_by_roles/{uuid}/`). Only the
 * permissions eventlog knows can be assigned; object-level permissions (`model` + `object_pk`)
 * do not exist here and are refused rather than silently granted globally.
 */
@Injectable()
export class RolePermissionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly roles: RolesService,
    private readonly audit: ModelAudit,
  ) {}

  /**
   * Assigns each permission (already assigned ones stay); one result per permission asked for.
   * The newly granted ones are recorded as the role's `model_updated`, `{"permissions": {"add": [...]}}`.
   */
  async assign(uuid: string, body: PermissionAssignRequest, origin?: AuditOrigin): Promise<PermissionAssignResult[]> {
    const role = await this.roles.findByUuid(uuid);
    const permissions = checkPermissions(body);
    await this.dataSource.transaction(async (m) => {
      const missing = without(permissions, await this.heldOf(role, permissions, m));
      if (!missing.length) return;
      await m.insert(
        RolePermission,
        missing.map((codename) => ({ roleUuid: role.uuid, codename })),
      );
      await this.audit.relationChanged(role, 'permissions', 'add', missing, origin, m);
    });
    // An assignment is identified by its permission within the role.
    return permissions.map((codename) => ({ id: codename }));
  }

  /** Removes the permissions the role holds; those really taken away are recorded as `remove`. */
  async unassign(uuid: string, body: PermissionAssignRequest, origin?: AuditOrigin): Promise<void> {
    const role = await this.roles.findByUuid(uuid);
    const permissions = checkPermissions(body);
    await this.dataSource.transaction(async (m) => {
      const held = await this.heldOf(role, permissions, m);
      if (!held.length) return;
      await m.delete(RolePermission, { roleUuid: role.uuid, codename: In(held) });
      await this.audit.relationChanged(role, 'permissions', 'remove', held, origin, m);
    });
  }

  /** Which of `permissions` the role holds now, sorted. */
  private async heldOf(role: Role, permissions: string[], m: EntityManager): Promise<string[]> {
    if (!permissions.length) return [];
    const rows = await m.find(RolePermission, { where: { roleUuid: role.uuid, codename: In(permissions) } });
    return rows.map((row) => row.codename).sort();
  }
}

/** The distinct `wanted` permissions not in `held`, sorted. */
function without(wanted: string[], held: string[]): string[] {
  return [...new Set(wanted)].filter((codename) => !held.includes(codename)).sort();
}

/** DRF's ListField of choices: errors keyed by the index of each bad item. */
function checkPermissions(body: PermissionAssignRequest): string[] {
  const permissions: unknown[] = body.permissions ?? [];
  const errors = new FieldErrorCollector();
  const byIndex: Record<string, string[]> = {};
  permissions.forEach((permission, index) => {
    if (typeof permission !== 'string' || !isKnownPermission(permission)) byIndex[index] = [DrfMessage.choice(permission)];
  });
  if (Object.keys(byIndex).length) errors.add('permissions', byIndex);
  errors.throwIfAny();
  if (body.model !== undefined || body.object_pk !== undefined) {
    errors.add('non_field_errors', 'Object-level permissions are not supported; omit model and object_pk.');
    errors.throwIfAny();
  }
  return permissions as string[];
}
