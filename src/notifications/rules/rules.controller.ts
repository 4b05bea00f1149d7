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
import { CurrentPrincipal, Permission, Principal, RequirePermission } from '@app/auth';
import { ApiErrorResponses, ListQuery, PaginatedListQueryDocs, textQuery, UsedByResponse, UuidParamPipe } from '@app/common';
import { RecordableRequest, RequestContext } from '../../events';
import { groupExpansions } from '../../identity/groups/group-presenter';
import { SEVERITY_ENUM } from '../notifications/dto/notification.dto';
import { NotificationRuleRequest, PatchedNotificationRuleRequest } from './dto/rule-request.dto';
import { NotificationRuleResponse, PaginatedNotificationRuleList } from './dto/rule.dto';
import { RulesService } from './rules.service';

const VIEWSET = 'NotificationRule Viewset';
const PbmUuid = () =>
  ApiParam({ name: 'pbm_uuid', type: 'string', format: 'uuid', description: 'A UUID string identifying this Notification Rule.' });

/**
 * NotificationRule Viewset. `destination_group_obj` honours the group list's `include_*`
 * parameters (`?include_users=false` leaves `users_obj` null), as authentik's nested serializer
 * reads them from the request.
 */
@ApiTags('events')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('events/rules')
export class RulesController {
  constructor(private readonly rules: RulesService) {}

  @Get()
  @RequirePermission(Permission.viewNotificationRule)
  @ApiOperation({ operationId: 'events_rules_list', description: VIEWSET })
  @textQuery('destination_group__name')
  @textQuery('name')
  @PaginatedListQueryDocs()
  @ApiQuery({ name: 'severity', required: false, ...SEVERITY_ENUM })
  @ApiOkResponse({ type: PaginatedNotificationRuleList })
  list(@Query() query: ListQuery) {
    return this.rules.list(query, groupExpansions(query));
  }

  @Post()
  @HttpCode(201)
  @RequirePermission(Permission.addNotificationRule)
  @ApiOperation({ operationId: 'events_rules_create', description: VIEWSET })
  @ApiCreatedResponse({ type: NotificationRuleResponse })
  create(@Body() body: NotificationRuleRequest, @RequestContext() request: RecordableRequest) {
    return this.rules.create(body, { request });
  }

  @Get(':pbm_uuid')
  @PbmUuid()
  @RequirePermission(Permission.viewNotificationRule)
  @ApiOperation({ operationId: 'events_rules_retrieve', description: VIEWSET })
  @ApiOkResponse({ type: NotificationRuleResponse })
  retrieve(@Param('pbm_uuid', UuidParamPipe) uuid: string, @Query() query: ListQuery) {
    return this.rules.retrieve(uuid, groupExpansions(query));
  }

  @Put(':pbm_uuid')
  @PbmUuid()
  @RequirePermission(Permission.changeNotificationRule)
  @ApiOperation({ operationId: 'events_rules_update', description: VIEWSET })
  @ApiOkResponse({ type: NotificationRuleResponse })
  update(
    @Param('pbm_uuid', UuidParamPipe) uuid: string,
    @Body() body: NotificationRuleRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.rules.update(uuid, body, { request });
  }

  @Patch(':pbm_uuid')
  @PbmUuid()
  @RequirePermission(Permission.changeNotificationRule)
  @ApiOperation({ operationId: 'events_rules_partial_update', description: VIEWSET })
  @ApiBody({ type: PatchedNotificationRuleRequest, required: false })
  @ApiOkResponse({ type: NotificationRuleResponse })
  partialUpdate(
    @Param('pbm_uuid', UuidParamPipe) uuid: string,
    @Body() body: PatchedNotificationRuleRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.rules.update(uuid, body, { request });
  }

  @Delete(':pbm_uuid')
  @PbmUuid()
  @HttpCode(204)
  @RequirePermission(Permission.deleteNotificationRule)
  @ApiOperation({ operationId: 'events_rules_destroy', description: VIEWSET })
  @ApiNoContentResponse({ description: 'No response body' })
  destroy(@Param('pbm_uuid', UuidParamPipe) uuid: string, @RequestContext() request: RecordableRequest) {
    return this.rules.destroy(uuid, { request });
  }

  @Get(':pbm_uuid/used_by')
  @PbmUuid()
  @RequirePermission(Permission.viewNotificationRule)
  @ApiOperation({ operationId: 'events_rules_used_by_list', description: 'Get a list of all objects that use this object' })
  @ApiOkResponse({ type: UsedByResponse, isArray: true })
  usedBy(@CurrentPrincipal() principal: Principal, @Param('pbm_uuid', UuidParamPipe) uuid: string) {
    return this.rules.usedBy(principal, uuid);
  }
}
