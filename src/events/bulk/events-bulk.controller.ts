import { Body, Controller, Post } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Permission, Principal, RequirePermission } from '@app/auth';
import { ApiErrorResponses, BULK_BODY, NDJSON_TYPE } from '@app/common';
import { EventDto, serializeEvent } from '../dto/event.dto';
import { EventsBulkService } from './events-bulk.service';
import { BulkEventRequest } from './bulk-event-request.dto';

const DESCRIPTION = [
  'eventlog addition (not in authentik): stores many events in one request, all in one transaction.',
  'The body is a JSON array of events or NDJSON (`application/x-ndjson`, one event per line);',
  'at most BULK_MAX_EVENTS events (default 1000, else 400) and BULK_MAX_BODY_BYTES bytes (default 8 MiB, else 413).',
  'Each item is checked as `events_events_create` checks its body; when any item is invalid nothing is stored',
  'and the 400 body is a list with one entry per item, `{}` for the valid ones (DRF `many=True`).',
  'An item may name its `pk`; a taken `pk` fails the request the same way. Answers the stored events, in order.',
].join(' ');

/** `POST /api/v3/events/events/bulk/` (docs/api-contract.md §3.8). */
@ApiTags('events')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('events/events/bulk')
export class EventsBulkController {
  constructor(private readonly bulk: EventsBulkService) {}

  @Post()
  @RequirePermission(Permission.addEvent)
  @RouteConfig({ [BULK_BODY]: true })
  @ApiOperation({ operationId: 'events_events_bulk_create', summary: 'Store many events at once', description: DESCRIPTION })
  @ApiConsumes('application/json', NDJSON_TYPE)
  @ApiBody({ type: BulkEventRequest, isArray: true })
  @ApiCreatedResponse({ type: EventDto, isArray: true, description: '' })
  async create(@Body() body: unknown, @CurrentPrincipal() actor: Principal): Promise<EventDto[]> {
    const events = await this.bulk.create(body, actor);
    return events.map(serializeEvent);
  }
}
