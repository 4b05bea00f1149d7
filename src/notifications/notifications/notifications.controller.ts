import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@app/auth';
import { ApiErrorResponses, flagQuery, ListQuery, PaginatedListQueryDocs, textQuery, UsedByResponse, UuidParamPipe } from '@app/common';
import { UuidPathParam } from '../list-docs';
import { NotificationRequest, PatchedNotificationRequest } from './dto/notification-request.dto';
import { NotificationResponse, PaginatedNotificationList, SEVERITY_ENUM } from './dto/notification.dto';
import { NotificationsService } from './notifications.service';

const VIEWSET = 'Notification Viewset';

/**
 * Notification Viewset. No `@RequirePermission`: every authenticated caller may use it, and
 * the service limits them to their own notifications unless they hold `view_notification`.
 */
@ApiTags('events')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('events/notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  @ApiOperation({ operationId: 'events_notifications_list', description: VIEWSET })
  @textQuery('body')
  @ApiQuery({ name: 'created', required: false, type: String, format: 'date-time' } as never)
  @ApiQuery({ name: 'event', required: false, type: String, format: 'uuid' } as never)
  @PaginatedListQueryDocs()
  @flagQuery('seen')
  @ApiQuery({ name: 'severity', required: false, ...SEVERITY_ENUM })
  @ApiQuery({ name: 'user', required: false, type: 'integer' })
  @ApiOkResponse({ type: PaginatedNotificationList })
  list(@CurrentPrincipal() caller: Principal, @Query() query: ListQuery) {
    return this.notifications.list(caller, query);
  }

  /** Declared before `:uuid` so the static path wins. */
  @Post('mark_all_seen')
  @HttpCode(204)
  @ApiOperation({ operationId: 'events_notifications_mark_all_seen_create', description: "Mark all the user's notifications as seen" })
  @ApiNoContentResponse({ description: 'No response body' })
  markAllSeen(@CurrentPrincipal() caller: Principal) {
    return this.notifications.markAllSeen(caller);
  }

  @Get(':uuid')
  @UuidPathParam('Notification')
  @ApiOperation({ operationId: 'events_notifications_retrieve', description: VIEWSET })
  @ApiOkResponse({ type: NotificationResponse })
  retrieve(@CurrentPrincipal() caller: Principal, @Param('uuid', UuidParamPipe) uuid: string) {
    return this.notifications.retrieve(caller, uuid);
  }

  @Put(':uuid')
  @UuidPathParam('Notification')
  @ApiOperation({ operationId: 'events_notifications_update', description: VIEWSET })
  @ApiBody({ type: NotificationRequest, required: false })
  @ApiOkResponse({ type: NotificationResponse })
  update(@CurrentPrincipal() caller: Principal, @Param('uuid', UuidParamPipe) uuid: string, @Body() body: NotificationRequest) {
    return this.notifications.update(caller, uuid, body);
  }

  @Patch(':uuid')
  @UuidPathParam('Notification')
  @ApiOperation({ operationId: 'events_notifications_partial_update', description: VIEWSET })
  @ApiBody({ type: PatchedNotificationRequest, required: false })
  @ApiOkResponse({ type: NotificationResponse })
  partialUpdate(
    @CurrentPrincipal() caller: Principal,
    @Param('uuid', UuidParamPipe) uuid: string,
    @Body() body: PatchedNotificationRequest,
  ) {
    return this.notifications.update(caller, uuid, body);
  }

  @Delete(':uuid')
  @HttpCode(204)
  @UuidPathParam('Notification')
  @ApiOperation({ operationId: 'events_notifications_destroy', description: VIEWSET })
  @ApiNoContentResponse({ description: 'No response body' })
  destroy(@CurrentPrincipal() caller: Principal, @Param('uuid', UuidParamPipe) uuid: string) {
    return this.notifications.destroy(caller, uuid);
  }

  @Get(':uuid/used_by')
  @UuidPathParam('Notification')
  @ApiOperation({ operationId: 'events_notifications_used_by_list', description: 'Get a list of all objects that use this object' })
  @ApiOkResponse({ type: UsedByResponse, isArray: true })
  usedBy(@CurrentPrincipal() caller: Principal, @Param('uuid', UuidParamPipe) uuid: string) {
    return this.notifications.usedBy(caller, uuid);
  }
}
