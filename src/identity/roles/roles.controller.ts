import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Permission, Principal, RequirePermission } from '@app/auth';
import { ApiErrorResponses, ListQuery, PaginatedListQueryDocs, textQuery, UuidParamPipe } from '@app/common';
import { RecordableRequest, RequestContext } from '../../events';
import { PatchedRoleRequest, RoleRequest, UserAccountSerializerForRoleRequest } from './dto/role-request.dto';
import { PaginatedRoleList, RoleResponse } from './dto/role.dto';
import { RolesService } from './roles.service';

/** Role viewset */
@ApiTags('rbac')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('rbac/roles')
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Get()
  @RequirePermission(Permission.viewRole)
  @ApiOperation({ operationId: 'rbac_roles_list', description: 'Role viewset' })
  @PaginatedListQueryDocs()
  @textQuery('name')
  @ApiQuery({ name: 'users', required: false, type: Number })
  @ApiOkResponse({ type: PaginatedRoleList })
  list(@Query() query: ListQuery) {
    return this.roles.list(query);
  }

  @Post()
  @HttpCode(201)
  @RequirePermission(Permission.addRole)
  @ApiOperation({ operationId: 'rbac_roles_create', description: 'Role viewset' })
  @ApiCreatedResponse({ type: RoleResponse })
  create(@Body() body: RoleRequest, @RequestContext() request: RecordableRequest) {
    return this.roles.createFromRequest(body, { request });
  }

  @Get(':uuid')
  @RequirePermission(Permission.viewRole)
  @ApiOperation({ operationId: 'rbac_roles_retrieve', description: 'Role viewset' })
  @ApiOkResponse({ type: RoleResponse })
  retrieve(@Param('uuid', UuidParamPipe) uuid: string) {
    return this.roles.retrieve(uuid);
  }

  @Put(':uuid')
  @RequirePermission(Permission.changeRole)
  @ApiOperation({ operationId: 'rbac_roles_update', description: 'Role viewset' })
  @ApiOkResponse({ type: RoleResponse })
  update(@Param('uuid', UuidParamPipe) uuid: string, @Body() body: RoleRequest, @RequestContext() request: RecordableRequest) {
    return this.roles.replace(uuid, body, { request });
  }

  @Patch(':uuid')
  @RequirePermission(Permission.changeRole)
  @ApiOperation({ operationId: 'rbac_roles_partial_update', description: 'Role viewset' })
  @ApiOkResponse({ type: RoleResponse })
  partialUpdate(
    @Param('uuid', UuidParamPipe) uuid: string,
    @Body() body: PatchedRoleRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.roles.patch(uuid, body, { request });
  }

  @Delete(':uuid')
  @HttpCode(204)
  @RequirePermission(Permission.deleteRole)
  @ApiOperation({ operationId: 'rbac_roles_destroy', description: 'Role viewset' })
  @ApiNoContentResponse({ description: 'No response body' })
  destroy(@Param('uuid', UuidParamPipe) uuid: string, @RequestContext() request: RecordableRequest) {
    return this.roles.destroy(uuid, { request });
  }

  /** authentik guards membership changes with `change_role` (authentik/rbac/api/roles.py). */
  @Post(':uuid/add_user')
  @HttpCode(204)
  @RequirePermission(Permission.changeRole)
  @ApiOperation({ operationId: 'rbac_roles_add_user_create', description: 'Add user to role' })
  @ApiNoContentResponse({ description: 'User added' })
  @ApiNotFoundResponse({ description: 'User not found' })
  addUser(
    @CurrentPrincipal() principal: Principal,
    @Param('uuid', UuidParamPipe) uuid: string,
    @Body() body: UserAccountSerializerForRoleRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.roles.addUser(principal, uuid, body, { request });
  }

  @Post(':uuid/remove_user')
  @HttpCode(204)
  @RequirePermission(Permission.changeRole)
  @ApiOperation({ operationId: 'rbac_roles_remove_user_create', description: 'Remove user from role' })
  @ApiNoContentResponse({ description: 'User removed' })
  @ApiNotFoundResponse({ description: 'User not found' })
  removeUser(
    @CurrentPrincipal() principal: Principal,
    @Param('uuid', UuidParamPipe) uuid: string,
    @Body() body: UserAccountSerializerForRoleRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.roles.removeUser(principal, uuid, body, { request });
  }
}
