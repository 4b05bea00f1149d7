import { Body, Controller, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses, UuidParamPipe } from '@app/common';
import { Permission, RequirePermission } from '@app/auth';
import { RecordableRequest, RequestContext } from '../../events';
import { PatchedPermissionAssignRequest, PermissionAssignRequest, PermissionAssignResult } from './dto/permission-assign.dto';
import { RolePermissionsService } from './role-permissions.service';

const ASSIGN_DESCRIPTION =
  'Assign permission(s) to role. When `object_pk` is set, the permissions\n\nare only assigned to the specific object, otherwise they are assigned globally.';
const UNASSIGN_DESCRIPTION =
  'Unassign permission(s) to role. When `object_pk` is set, the permissions\n\nare only assigned to the specific object, otherwise they are assigned globally.';

/**
 * Global permission assignment to roles. authentik guards unassigning with its own
 * `unassign_role_permissions`; docs/api-contract.md §4 knows only `assign_role_permissions`, which guards both.
 */
@ApiTags('rbac')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('rbac/permissions/assigned_by_roles')
export class RolePermissionsController {
  constructor(private readonly permissions: RolePermissionsService) {}

  @Post(':uuid/assign')
  @HttpCode(200)
  @RequirePermission(Permission.assignRolePermissions)
  @ApiOperation({ operationId: 'rbac_permissions_assigned_by_roles_assign', description: ASSIGN_DESCRIPTION })
  @ApiOkResponse({ type: PermissionAssignResult, isArray: true })
  assign(@Param('uuid', UuidParamPipe) uuid: string, @Body() body: PermissionAssignRequest, @RequestContext() request: RecordableRequest) {
    return this.permissions.assign(uuid, body, { request });
  }

  @Patch(':uuid/unassign')
  @HttpCode(204)
  @RequirePermission(Permission.assignRolePermissions)
  @ApiOperation({ operationId: 'rbac_permissions_assigned_by_roles_unassign_partial_update', description: UNASSIGN_DESCRIPTION })
  // Documented as authentik documents it; validated as the assign body, as authentik validates it.
  @ApiBody({ type: PatchedPermissionAssignRequest })
  @ApiNoContentResponse({ description: 'Successfully unassigned' })
  unassign(
    @Param('uuid', UuidParamPipe) uuid: string,
    @Body() body: PermissionAssignRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.permissions.unassign(uuid, body, { request });
  }
}
