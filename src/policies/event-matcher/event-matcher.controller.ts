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
import { RecordableRequest, RequestContext } from '../../events';
import { EVENT_ACTIONS } from '../../events';
import { ApiErrorResponses, ListQuery, PaginatedListQueryDocs, textQuery, UsedByResponse, UuidParamPipe } from '@app/common';
import {
  EventMatcherPolicyRequest,
  EventMatcherPolicyResponse,
  PaginatedEventMatcherPolicyList,
  PatchedEventMatcherPolicyRequest,
} from './event-matcher.dto';
import { EventMatcherService } from './event-matcher.service';

const DESCRIPTION = 'Event Matcher Policy Viewset';
const PolicyUuid = () =>
  ApiParam({ name: 'policy_uuid', type: 'string', format: 'uuid', description: 'A UUID string identifying this Event Matcher Policy.' });
const dateTimeQuery = (name: string) => ApiQuery({ name, required: false, schema: { type: 'string', format: 'date-time' } });

/** Event Matcher Policy Viewset */
@ApiTags('policies')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('policies/event_matcher')
export class EventMatcherController {
  constructor(private readonly policies: EventMatcherService) {}

  @Get()
  @RequirePermission(Permission.viewEventMatcherPolicy)
  @ApiOperation({ operationId: 'policies_event_matcher_list', description: DESCRIPTION })
  @PaginatedListQueryDocs()
  @ApiQuery({ name: 'action', required: false, enum: EVENT_ACTIONS, enumName: 'EventActions' })
  @textQuery('app')
  @textQuery('client_ip')
  @dateTimeQuery('created')
  @ApiQuery({ name: 'execution_logging', required: false, type: Boolean })
  @dateTimeQuery('last_updated')
  @textQuery('model')
  @textQuery('name')
  @ApiQuery({ name: 'policy_uuid', required: false, schema: { type: 'string', format: 'uuid' } })
  @textQuery('query')
  @ApiOkResponse({ type: PaginatedEventMatcherPolicyList })
  list(@Query() query: ListQuery) {
    return this.policies.list(query);
  }

  @Post()
  @HttpCode(201)
  @RequirePermission(Permission.addEventMatcherPolicy)
  @ApiOperation({ operationId: 'policies_event_matcher_create', description: DESCRIPTION })
  @ApiCreatedResponse({ type: EventMatcherPolicyResponse })
  create(@Body() body: EventMatcherPolicyRequest, @RequestContext() request: RecordableRequest) {
    return this.policies.createFromRequest(body, { request });
  }

  @Get(':policy_uuid')
  @PolicyUuid()
  @RequirePermission(Permission.viewEventMatcherPolicy)
  @ApiOperation({ operationId: 'policies_event_matcher_retrieve', description: DESCRIPTION })
  @ApiOkResponse({ type: EventMatcherPolicyResponse })
  retrieve(@Param('policy_uuid', UuidParamPipe) uuid: string) {
    return this.policies.retrieve(uuid);
  }

  @Put(':policy_uuid')
  @PolicyUuid()
  @RequirePermission(Permission.changeEventMatcherPolicy)
  @ApiOperation({ operationId: 'policies_event_matcher_update', description: DESCRIPTION })
  @ApiOkResponse({ type: EventMatcherPolicyResponse })
  update(
    @Param('policy_uuid', UuidParamPipe) uuid: string,
    @Body() body: EventMatcherPolicyRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.policies.updateFromRequest(uuid, body, { request });
  }

  @Patch(':policy_uuid')
  @PolicyUuid()
  @RequirePermission(Permission.changeEventMatcherPolicy)
  @ApiOperation({ operationId: 'policies_event_matcher_partial_update', description: DESCRIPTION })
  @ApiBody({ type: PatchedEventMatcherPolicyRequest, required: false })
  @ApiOkResponse({ type: EventMatcherPolicyResponse })
  partialUpdate(
    @Param('policy_uuid', UuidParamPipe) uuid: string,
    @Body() body: PatchedEventMatcherPolicyRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.policies.updateFromRequest(uuid, body, { request });
  }

  @Delete(':policy_uuid')
  @PolicyUuid()
  @HttpCode(204)
  @RequirePermission(Permission.deleteEventMatcherPolicy)
  @ApiOperation({ operationId: 'policies_event_matcher_destroy', description: DESCRIPTION })
  @ApiNoContentResponse({ description: 'No response body' })
  destroy(@Param('policy_uuid', UuidParamPipe) uuid: string, @RequestContext() request: RecordableRequest) {
    return this.policies.destroy(uuid, { request });
  }

  @Get(':policy_uuid/used_by')
  @PolicyUuid()
  @RequirePermission(Permission.viewEventMatcherPolicy)
  @ApiOperation({ operationId: 'policies_event_matcher_used_by_list', description: 'Get a list of all objects that use this object' })
  @ApiOkResponse({ type: [UsedByResponse] })
  usedBy(@Param('policy_uuid', UuidParamPipe) uuid: string) {
    return this.policies.usedBy(uuid);
  }
}
