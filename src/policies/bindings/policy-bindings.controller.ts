import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { Permission, RequirePermission } from '@app/auth';
import { ApiErrorResponses, ListQuery, manyQuery, PaginatedListQueryDocs, UsedByResponse, UuidParamPipe } from '@app/common';
import { RecordableRequest, RequestContext } from '../../events';
import { PaginatedPolicyBindingList, PatchedPolicyBindingRequest, PolicyBindingRequest, PolicyBindingResponse } from './policy-binding.dto';
import { PolicyBindingsService } from './policy-bindings.service';

const DESCRIPTION = 'PolicyBinding Viewset';
const BindingUuid = () =>
  ApiParam({ name: 'policy_binding_uuid', type: 'string', format: 'uuid', description: 'A UUID string identifying this Policy Binding.' });

/** PolicyBinding Viewset */
@ApiTags('policies')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('policies/bindings')
export class PolicyBindingsController {
  constructor(private readonly bindings: PolicyBindingsService) {}

  @Get()
  @RequirePermission(Permission.viewPolicyBinding)
  @ApiOperation({ operationId: 'policies_bindings_list', description: DESCRIPTION })
  @PaginatedListQueryDocs()
  @ApiQuery({ name: 'enabled', required: false, type: Boolean })
  @ApiQuery({ name: 'order', required: false, type: 'integer' })
  @ApiQuery({ name: 'policy', required: false, schema: { type: 'string', format: 'uuid' } })
  @ApiQuery({ name: 'policy__isnull', required: false, type: Boolean })
  @ApiQuery({ name: 'target', required: false, schema: { type: 'string', format: 'uuid' } })
  @manyQuery('target_in', 'uuid')
  @ApiQuery({ name: 'timeout', required: false, type: 'integer' })
  @ApiOkResponse({ type: PaginatedPolicyBindingList })
  list(@Query() query: ListQuery) {
    return this.bindings.list(query);
  }

  @Post()
  @HttpCode(201)
  @RequirePermission(Permission.addPolicyBinding)
  @ApiOperation({ operationId: 'policies_bindings_create', description: DESCRIPTION })
  @ApiCreatedResponse({ type: PolicyBindingResponse })
  create(@Body() body: PolicyBindingRequest, @RequestContext() request: RecordableRequest) {
    return this.bindings.createFromRequest(body, { request });
  }

  @Get(':policy_binding_uuid')
  @BindingUuid()
  @RequirePermission(Permission.viewPolicyBinding)
  @ApiOperation({ operationId: 'policies_bindings_retrieve', description: DESCRIPTION })
  @ApiOkResponse({ type: PolicyBindingResponse })
  retrieve(@Param('policy_binding_uuid', UuidParamPipe) uuid: string) {
    return this.bindings.retrieve(uuid);
  }

  @Put(':policy_binding_uuid')
  @BindingUuid()
  @RequirePermission(Permission.changePolicyBinding)
  @ApiOperation({ operationId: 'policies_bindings_update', description: DESCRIPTION })
  @ApiOkResponse({ type: PolicyBindingResponse })
  update(
    @Param('policy_binding_uuid', UuidParamPipe) uuid: string,
    @Body() body: PolicyBindingRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.bindings.updateFromRequest(uuid, body, { request });
  }

  @Patch(':policy_binding_uuid')
  @BindingUuid()
  @RequirePermission(Permission.changePolicyBinding)
  @ApiOperation({ operationId: 'policies_bindings_partial_update', description: DESCRIPTION })
  @ApiBody({ type: PatchedPolicyBindingRequest, required: false })
  @ApiOkResponse({ type: PolicyBindingResponse })
  partialUpdate(
    @Param('policy_binding_uuid', UuidParamPipe) uuid: string,
    @Body() body: PatchedPolicyBindingRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.bindings.updateFromRequest(uuid, body, { request });
  }

  @Delete(':policy_binding_uuid')
  @BindingUuid()
  @HttpCode(204)
  @RequirePermission(Permission.deletePolicyBinding)
  @ApiOperation({ operationId: 'policies_bindings_destroy', description: DESCRIPTION })
  @ApiNoContentResponse({ description: 'No response body' })
  destroy(@Param('policy_binding_uuid', UuidParamPipe) uuid: string, @RequestContext() request: RecordableRequest) {
    return this.bindings.destroy(uuid, { request });
  }

  /** A binding has no relations pointing at it: always `[]`, as in authentik. */
  @Get(':policy_binding_uuid/used_by')
  @BindingUuid()
  @RequirePermission(Permission.viewPolicyBinding)
  @ApiOperation({ operationId: 'policies_bindings_used_by_list', description: 'Get a list of all objects that use this object' })
  @ApiOkResponse({ type: [UsedByResponse] })
  async usedBy(@Param('policy_binding_uuid', UuidParamPipe) uuid: string) {
    await this.bindings.findByUuid(uuid);
    return [];
  }
}
