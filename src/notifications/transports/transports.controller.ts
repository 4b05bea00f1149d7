import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiCreatedResponse,
  ApiInternalServerErrorResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Permission, Principal, RequirePermission } from '@app/auth';
import { ApiErrorResponses, flagQuery, ListQuery, PaginatedListQueryDocs, textQuery, UsedByResponse, UuidParamPipe } from '@app/common';
import { RequestEventRecorder, RequestEvents } from '../../events';
import { UuidPathParam } from '../list-docs';
import { DELIVERY_STATUSES } from '../entities/notification-delivery.entity';
import { TRANSPORT_MODES } from '../entities/notification-transport.entity';
import { DeliveriesService } from '../deliveries/deliveries.service';
import { PaginatedNotificationDeliveryList } from '../deliveries/dto/delivery.dto';
import { NotificationTransportRequest, PatchedNotificationTransportRequest } from './dto/transport-request.dto';
import { NotificationTransportResponse, NotificationTransportTestResponse, PaginatedNotificationTransportList } from './dto/transport.dto';
import { TransportsService } from './transports.service';

const VIEWSET = 'NotificationTransport Viewset';

/** NotificationTransport Viewset */
@ApiTags('events')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('events/transports')
export class TransportsController {
  constructor(
    private readonly transports: TransportsService,
    private readonly deliveries: DeliveriesService,
  ) {}

  @Get()
  @RequirePermission(Permission.viewNotificationTransport)
  @ApiOperation({ operationId: 'events_transports_list', description: VIEWSET })
  @ApiQuery({ name: 'mode', required: false, enum: TRANSPORT_MODES, enumName: 'TransportModeEnum' })
  @textQuery('name')
  @PaginatedListQueryDocs()
  @flagQuery('send_once')
  @textQuery('webhook_url')
  @ApiOkResponse({ type: PaginatedNotificationTransportList })
  list(@Query() query: ListQuery) {
    return this.transports.list(query);
  }

  @Post()
  @HttpCode(201)
  @RequirePermission(Permission.addNotificationTransport)
  @ApiOperation({ operationId: 'events_transports_create', description: VIEWSET })
  @ApiCreatedResponse({ type: NotificationTransportResponse })
  create(@Body() body: NotificationTransportRequest, @RequestEvents() events: RequestEventRecorder) {
    return this.transports.create(body, events);
  }

  @Get(':uuid')
  @RequirePermission(Permission.viewNotificationTransport)
  @UuidPathParam('Notification Transport')
  @ApiOperation({ operationId: 'events_transports_retrieve', description: VIEWSET })
  @ApiOkResponse({ type: NotificationTransportResponse })
  retrieve(@Param('uuid', UuidParamPipe) uuid: string) {
    return this.transports.retrieve(uuid);
  }

  @Put(':uuid')
  @RequirePermission(Permission.changeNotificationTransport)
  @UuidPathParam('Notification Transport')
  @ApiOperation({ operationId: 'events_transports_update', description: VIEWSET })
  @ApiOkResponse({ type: NotificationTransportResponse })
  update(
    @Param('uuid', UuidParamPipe) uuid: string,
    @Body() body: NotificationTransportRequest,
    @RequestEvents() events: RequestEventRecorder,
  ) {
    return this.transports.update(uuid, body, events);
  }

  @Patch(':uuid')
  @RequirePermission(Permission.changeNotificationTransport)
  @UuidPathParam('Notification Transport')
  @ApiOperation({ operationId: 'events_transports_partial_update', description: VIEWSET })
  @ApiBody({ type: PatchedNotificationTransportRequest, required: false })
  @ApiOkResponse({ type: NotificationTransportResponse })
  partialUpdate(
    @Param('uuid', UuidParamPipe) uuid: string,
    @Body() body: PatchedNotificationTransportRequest,
    @RequestEvents() events: RequestEventRecorder,
  ) {
    return this.transports.update(uuid, body, events);
  }

  @Delete(':uuid')
  @HttpCode(204)
  @RequirePermission(Permission.deleteNotificationTransport)
  @UuidPathParam('Notification Transport')
  @ApiOperation({ operationId: 'events_transports_destroy', description: VIEWSET })
  @ApiNoContentResponse({ description: 'No response body' })
  destroy(@Param('uuid', UuidParamPipe) uuid: string, @RequestEvents() events: RequestEventRecorder) {
    return this.transports.destroy(uuid, events);
  }

  /**
   * authentik answers a failed delivery with 500 and the failure's text as a JSON string, which
   * is what its clients show; kept so they keep working.
   */
  @Post(':uuid/test')
  @HttpCode(200)
  @RequirePermission(Permission.changeNotificationTransport)
  @UuidPathParam('Notification Transport')
  @ApiOperation({
    operationId: 'events_transports_test_create',
    description: 'Send example notification using selected transport. Requires\nModify permissions.',
  })
  @ApiOkResponse({ type: NotificationTransportTestResponse })
  @ApiInternalServerErrorResponse({ description: 'Failed to test transport' })
  async test(
    @Param('uuid', UuidParamPipe) uuid: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ messages: string[] | null } | string> {
    const outcome = await this.transports.sendTest(uuid, principal);
    if (outcome.delivered) return { messages: outcome.messages };
    reply.status(500).header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify(outcome.error);
  }

  /** eventlog's delivery log (not in authentik): what the transport sent, is sending or gave up on. */
  @Get(':uuid/deliveries')
  @RequirePermission(Permission.viewNotificationTransport)
  @UuidPathParam('Notification Transport')
  @ApiOperation({
    operationId: 'events_transports_deliveries_list',
    description:
      "eventlog: the transport's delivery log, newest first: one entry per notification to send (rule, event revision, recipient) with its status, attempts, last error and next retry. Finished entries are kept NOTIFICATION_DELIVERY_RETENTION.",
  })
  @ApiQuery({ name: 'status', required: false, enum: DELIVERY_STATUSES, enumName: 'NotificationDeliveryStatusEnum' })
  @textQuery('ordering', 'Which field to use when ordering the results: created, attempts, pk (- for descending).')
  @ApiQuery({ name: 'page', required: false, type: 'integer', description: 'A page number within the paginated result set.' })
  @ApiQuery({ name: 'page_size', required: false, type: 'integer', description: 'Number of results to return per page.' })
  @ApiOkResponse({ type: PaginatedNotificationDeliveryList })
  deliveryLog(@Param('uuid', UuidParamPipe) uuid: string, @Query() query: ListQuery) {
    return this.deliveries.list(uuid, query);
  }

  @Get(':uuid/used_by')
  @RequirePermission(Permission.viewNotificationTransport)
  @UuidPathParam('Notification Transport')
  @ApiOperation({ operationId: 'events_transports_used_by_list', description: 'Get a list of all objects that use this object' })
  @ApiOkResponse({ type: UsedByResponse, isArray: true })
  usedBy(@CurrentPrincipal() principal: Principal, @Param('uuid', UuidParamPipe) uuid: string) {
    return this.transports.usedBy(principal, uuid);
  }
}
