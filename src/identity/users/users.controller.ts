import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Permission, Principal, RequirePermission } from '@app/auth';
import { ApiErrorResponses, IntParamPipe, ListQuery } from '@app/common';
import { RecordableRequest, RequestContext } from '../../events';
import { PatchedUserRequest, UserRequest } from './dto/user-request.dto';
import { PaginatedUserList, SessionUserResponse, UserResponse } from './dto/user.dto';
import { UserIdPipe } from './user-id.pipe';
import { UsersService } from './users.service';
import { UserListQueryDocs } from './users.query-docs';

/** User Viewset */
@ApiTags('core')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('core/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @RequirePermission(Permission.viewUser)
  @ApiOperation({ operationId: 'core_users_list', description: 'User Viewset' })
  @UserListQueryDocs()
  @ApiOkResponse({ type: PaginatedUserList })
  list(@Query() query: ListQuery) {
    return this.users.list(query);
  }

  @Post()
  @HttpCode(201)
  @RequirePermission(Permission.addUser)
  @ApiOperation({ operationId: 'core_users_create', description: 'User Viewset' })
  @ApiCreatedResponse({ type: UserResponse })
  create(@Body() body: UserRequest, @RequestContext() request: RecordableRequest, @CurrentPrincipal() principal: Principal) {
    return this.users.createFromRequest(body, { request }, principal);
  }

  /** Any authenticated caller may ask who they are. */
  @Get('me')
  @ApiOperation({ operationId: 'core_users_me_retrieve', description: 'Get information about current user' })
  @ApiOkResponse({ type: SessionUserResponse })
  me(@CurrentPrincipal() principal: Principal) {
    return this.users.me(principal);
  }

  @Get(':id')
  @RequirePermission(Permission.viewUser)
  @ApiOperation({ operationId: 'core_users_retrieve', description: 'User Viewset' })
  @ApiOkResponse({ type: UserResponse })
  retrieve(@Param('id', IntParamPipe) id: number) {
    return this.users.retrieve(id);
  }

  @Put(':id')
  @RequirePermission(Permission.changeUser)
  @ApiOperation({ operationId: 'core_users_update', description: 'User Viewset' })
  @ApiOkResponse({ type: UserResponse })
  update(
    @Param('id', UserIdPipe) id: number,
    @Body() body: UserRequest,
    @RequestContext() request: RecordableRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.users.replace(id, body, { request }, principal);
  }

  @Patch(':id')
  @RequirePermission(Permission.changeUser)
  @ApiOperation({ operationId: 'core_users_partial_update', description: 'User Viewset' })
  @ApiOkResponse({ type: UserResponse })
  partialUpdate(
    @Param('id', UserIdPipe) id: number,
    @Body() body: PatchedUserRequest,
    @RequestContext() request: RecordableRequest,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.users.patch(id, body, { request }, principal);
  }

  @Delete(':id')
  @HttpCode(204)
  @RequirePermission(Permission.deleteUser)
  @ApiOperation({ operationId: 'core_users_destroy', description: 'User Viewset' })
  @ApiNoContentResponse({ description: 'No response body' })
  destroy(@Param('id', UserIdPipe) id: number, @RequestContext() request: RecordableRequest) {
    return this.users.destroy(id, { request });
  }
}
