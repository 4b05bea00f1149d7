import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Permission, Principal, RequirePermission } from '@app/auth';
import { ApiErrorResponses, ListQuery, manyQuery, PaginatedListQueryDocs, textQuery, UsedByResponse, UuidParamPipe } from '@app/common';
import { RecordableRequest, RequestContext } from '../../events';
import { GroupRequest, PatchedGroupRequest, UserAccountRequest } from './dto/group-request.dto';
import { GroupResponse, PaginatedGroupList } from './dto/group.dto';
import { groupExpansions } from './group-presenter';
import { GroupsService } from './groups.service';

const include = (name: string, fallback: boolean) => ApiQuery({ name, required: false, schema: { type: 'boolean', default: fallback } });
const DESCRIPTION = 'Group Viewset';
const GroupUuid = () =>
  ApiParam({ name: 'group_uuid', type: 'string', format: 'uuid', description: 'A UUID string identifying this Group.' });

/** Group Viewset */
@ApiTags('core')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('core/groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Get()
  @RequirePermission(Permission.viewGroup)
  @ApiOperation({ operationId: 'core_groups_list', description: DESCRIPTION })
  @PaginatedListQueryDocs()
  @textQuery('attributes', 'Attributes')
  @include('include_children', false)
  @include('include_inherited_roles', false)
  @include('include_parents', false)
  @include('include_users', true)
  @ApiQuery({ name: 'is_superuser', required: false, type: Boolean })
  @manyQuery('members_by_pk', undefined, 'integer')
  @manyQuery('members_by_username')
  @textQuery('name')
  @ApiOkResponse({ type: PaginatedGroupList })
  list(@Query() query: ListQuery) {
    return this.groups.list(query, groupExpansions(query));
  }

  @Post()
  @HttpCode(201)
  @RequirePermission(Permission.addGroup)
  @ApiOperation({ operationId: 'core_groups_create', description: DESCRIPTION })
  @ApiCreatedResponse({ type: GroupResponse })
  create(@CurrentPrincipal() principal: Principal, @Body() body: GroupRequest, @RequestContext() request: RecordableRequest) {
    return this.groups.createFromRequest(principal, body, { request });
  }

  @Get(':group_uuid')
  @GroupUuid()
  @RequirePermission(Permission.viewGroup)
  @ApiOperation({ operationId: 'core_groups_retrieve', description: DESCRIPTION })
  @include('include_children', false)
  @include('include_inherited_roles', false)
  @include('include_parents', false)
  @include('include_users', true)
  @ApiOkResponse({ type: GroupResponse })
  retrieve(@Param('group_uuid', UuidParamPipe) uuid: string, @Query() query: ListQuery) {
    return this.groups.retrieve(uuid, groupExpansions(query));
  }

  @Put(':group_uuid')
  @GroupUuid()
  @RequirePermission(Permission.changeGroup)
  @ApiOperation({ operationId: 'core_groups_update', description: DESCRIPTION })
  @ApiOkResponse({ type: GroupResponse })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('group_uuid', UuidParamPipe) uuid: string,
    @Body() body: GroupRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.groups.updateFromRequest(principal, uuid, body, false, { request });
  }

  @Patch(':group_uuid')
  @GroupUuid()
  @RequirePermission(Permission.changeGroup)
  @ApiOperation({ operationId: 'core_groups_partial_update', description: DESCRIPTION })
  @ApiBody({ type: PatchedGroupRequest, required: false })
  @ApiOkResponse({ type: GroupResponse })
  partialUpdate(
    @CurrentPrincipal() principal: Principal,
    @Param('group_uuid', UuidParamPipe) uuid: string,
    @Body() body: PatchedGroupRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.groups.updateFromRequest(principal, uuid, body, true, { request });
  }

  @Delete(':group_uuid')
  @GroupUuid()
  @HttpCode(204)
  @RequirePermission(Permission.deleteGroup)
  @ApiOperation({ operationId: 'core_groups_destroy', description: DESCRIPTION })
  @ApiNoContentResponse({ description: 'No response body' })
  destroy(@Param('group_uuid', UuidParamPipe) uuid: string, @RequestContext() request: RecordableRequest) {
    return this.groups.destroy(uuid, { request });
  }

  @Post(':group_uuid/add_user')
  @GroupUuid()
  @HttpCode(204)
  @RequirePermission(Permission.addUserToGroup)
  @ApiOperation({ operationId: 'core_groups_add_user_create', description: 'Add user to group' })
  @ApiNoContentResponse({ description: 'User added' })
  @ApiNotFoundResponse({ description: 'User not found' })
  addUser(
    @CurrentPrincipal() principal: Principal,
    @Param('group_uuid', UuidParamPipe) uuid: string,
    @Body() body: UserAccountRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.groups.addUser(principal, uuid, body, { request });
  }

  @Post(':group_uuid/remove_user')
  @GroupUuid()
  @HttpCode(204)
  @RequirePermission(Permission.removeUserFromGroup)
  @ApiOperation({ operationId: 'core_groups_remove_user_create', description: 'Remove user from group' })
  @ApiNoContentResponse({ description: 'User removed' })
  @ApiNotFoundResponse({ description: 'User not found' })
  removeUser(
    @CurrentPrincipal() principal: Principal,
    @Param('group_uuid', UuidParamPipe) uuid: string,
    @Body() body: UserAccountRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.groups.removeUser(principal, uuid, body, { request });
  }

  @Get(':group_uuid/used_by')
  @GroupUuid()
  @RequirePermission(Permission.viewGroup)
  @ApiOperation({ operationId: 'core_groups_used_by_list', description: 'Get a list of all objects that use this object' })
  @ApiOkResponse({ type: [UsedByResponse] })
  usedBy(@CurrentPrincipal() principal: Principal, @Param('group_uuid', UuidParamPipe) uuid: string) {
    return this.groups.usedBy(principal, uuid);
  }
}
