import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
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
import { CurrentPrincipal, Principal, Permission, RequirePermission } from '@app/auth';
import { ApiErrorResponses, UuidParamPipe } from '@app/common';
import { EventRequest } from './dto/event-request.dto';
import { EventDto, serializeEvent } from './dto/event.dto';
import { PaginatedEventList } from './dto/paginated-event-list.dto';
import { PatchedEventRequest } from './dto/patched-event-request.dto';
import { eventActionTypes, TypeCreate } from './dto/type-create.dto';
import { EventsService } from './events.service';
import { EventListService } from './listing/event-list.service';
import type { ListQuery } from './query';
import { ApiEventListFilters } from './stream/event-filter-docs';

const VIEWSET = 'Event Read-Only Viewset'; // authentik's docstring, its operations' description

const EventUuidParam = () =>
  ApiParam({ name: 'event_uuid', type: 'string', format: 'uuid', description: 'A UUID string identifying this Event.' });

/** `/api/v3/events/events/`: authentik's EventViewSet (docs/api-contract.md §3). */
@ApiTags('events')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('events/events')
export class EventsController {
  constructor(
    private readonly events: EventsService,
    private readonly eventList: EventListService,
  ) {}

  @Get()
  @RequirePermission(Permission.viewEvent)
  @ApiOperation({ operationId: 'events_events_list', description: VIEWSET })
  @ApiEventListFilters({ withOrdering: true })
  @ApiQuery({ name: 'page', type: 'integer', required: false, description: 'A page number within the paginated result set.' })
  @ApiQuery({ name: 'page_size', type: 'integer', required: false, description: 'Number of results to return per page.' })
  @ApiOkResponse({ type: PaginatedEventList, description: '' })
  // The body comes as JSON text (eventPageJson): Fastify sends a string of this type as it is.
  @Header('Content-Type', 'application/json; charset=utf-8')
  list(@Query() params: ListQuery): Promise<string> {
    return this.eventList.pageJson(params);
  }

  @Post()
  @RequirePermission(Permission.addEvent)
  @ApiOperation({ operationId: 'events_events_create', description: VIEWSET })
  @ApiCreatedResponse({ type: EventDto, description: '' })
  async create(@Body() body: EventRequest, @CurrentPrincipal() actor: Principal): Promise<EventDto> {
    return serializeEvent(await this.events.create(body, actor));
  }

  @Get('actions')
  @ApiOperation({ operationId: 'events_events_actions_list', description: 'Get all actions' })
  @ApiOkResponse({ type: TypeCreate, isArray: true, description: '' })
  actions(): TypeCreate[] {
    return eventActionTypes();
  }

  @Get(':event_uuid')
  @RequirePermission(Permission.viewEvent)
  @ApiOperation({ operationId: 'events_events_retrieve', description: VIEWSET })
  @EventUuidParam()
  @ApiOkResponse({ type: EventDto, description: '' })
  async retrieve(@Param('event_uuid', UuidParamPipe) uuid: string): Promise<EventDto> {
    return serializeEvent(await this.events.getVisible(uuid));
  }

  @Put(':event_uuid')
  @RequirePermission(Permission.changeEvent)
  @ApiOperation({ operationId: 'events_events_update', description: VIEWSET })
  @EventUuidParam()
  @ApiOkResponse({ type: EventDto, description: '' })
  async update(
    @Param('event_uuid', UuidParamPipe) uuid: string,
    @Body() body: EventRequest,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EventDto> {
    return serializeEvent(await this.events.replace(uuid, body, actor));
  }

  @Patch(':event_uuid')
  @RequirePermission(Permission.changeEvent)
  @ApiOperation({ operationId: 'events_events_partial_update', description: VIEWSET })
  @EventUuidParam()
  @ApiBody({ type: PatchedEventRequest, required: false }) // no body at all changes nothing
  @ApiOkResponse({ type: EventDto, description: '' })
  async partialUpdate(
    @Param('event_uuid', UuidParamPipe) uuid: string,
    @Body() body: PatchedEventRequest,
    @CurrentPrincipal() actor: Principal,
  ): Promise<EventDto> {
    return serializeEvent(await this.events.patch(uuid, body, actor));
  }

  @Delete(':event_uuid')
  @HttpCode(204)
  @RequirePermission(Permission.deleteEvent)
  @ApiOperation({ operationId: 'events_events_destroy', description: VIEWSET })
  @EventUuidParam()
  @ApiNoContentResponse({ description: 'No response body' })
  async destroy(@Param('event_uuid', UuidParamPipe) uuid: string, @CurrentPrincipal() actor: Principal): Promise<void> {
    await this.events.remove(uuid, actor);
  }
}
