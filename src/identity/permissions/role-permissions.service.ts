import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { DrfMessage } from '@app/common';
import { FieldErrors } from '../common/field-errors';
import { RolePermission } from '../entities/role-permission.entity';
import { isKnownPermission } from '../permissions';
import { RolesService } from '../roles/roles.service';
import { PatchedPermissionAssignRequest, PermissionAssignRequest, PermissionAssignResult } from './dto/permission-assign.dto';

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
  ) {}

  /** Assigns each permission (already assigned ones stay); one result per permission asked for. */
  async assign(uuid: string, body: PermissionAssignRequest): Promise<PermissionAssignResult[]> {
    const role = await this.roles.findByUuid(uuid);
    const permissions = checkPermissions(body);
    await this.dataSource.transaction(async (m) => {
      const held = await m.find(RolePermission, { where: { roleUuid: role.uuid, codename: In(permissions) } });
      const missing = [...new Set(permissions)].filter((codename) => !held.some((p) => p.codename === codename));
      if (missing.length) await m.insert(RolePermission, missing.map((codename) => ({ roleUuid: role.uuid, codename })));
    });
    // An assignment is identified by its permission within the role.
    return permissions.map((codename) => ({ id: codename }));
  }

  async unassign(uuid: string, body: PatchedPermissionAssignRequest): Promise<void> {
    const role = await this.roles.findByUuid(uuid);
    const permissions = checkPermissions(body);
    if (permissions.length) await this.dataSource.getRepository(RolePermission).delete({ roleUuid: role.uuid, codename: In(permissions) });
  }
}

/** DRF's ListField of choices: errors keyed by the index of each bad item. */
function checkPermissions(body: PermissionAssignRequest | PatchedPermissionAssignRequest): string[] {
  const permissions: unknown[] = body.permissions ?? [];
  const errors = new FieldErrors();
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
