import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Permission, RequirePermission } from '@app/auth';
import { ApiErrorResponses } from '@app/common';
import type { ListQuery } from '../query';
import { ApiEventListFilters } from './event-filter-docs';
import { EventStreamService } from './event-stream.service';
import { STREAM_FORMATS } from './stream-request';

const CONTENT_TYPES = { ndjson: 'application/x-ndjson; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

/** `GET /api/v3/events/events/stream/`: keyset export for exporters and SIEM pollers (docs/api-contract.md §3.5). */
@ApiTags('events')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('events/events')
export class EventStreamController {
  constructor(private readonly stream: EventStreamService) {}

  @Get('stream')
  @RequirePermission(Permission.viewEvent)
  @ApiOperation({
    operationId: 'events_events_stream_retrieve',
    summary: 'Stream events in creation order, resumable with a cursor',
    description:
      'Every visible event matching the list filters, oldest first (`created`, then `pk`), streamed without OFFSET and ' +
      'without holding the result in memory. The response carries the cursor to continue from in the `X-Next-Cursor` ' +
      'header (and, for NDJSON, as a last line `{"next_cursor": "..."}`); pass it as `cursor` to get only the events after ' +
      'it, e.g. when polling. Without `limit`, the stream ends at the newest event that exists when it starts. ' +
      'CSV: a header row and the nine Event fields, objects as JSON text, RFC 4180 quoting, UTF-8.',
  })
  @ApiEventListFilters()
  @ApiQuery({ name: 'format', required: false, enum: STREAM_FORMATS, description: 'Default `ndjson`: one Event (JSON) per line.' })
  @ApiQuery({ name: 'limit', required: false, type: 'integer', description: 'At most this many events (a positive integer).' })
  @ApiQuery({
    name: 'cursor',
    required: false,
    type: 'string',
    description: 'Resume after the event this cursor names (from `X-Next-Cursor`).',
  })
  @ApiProduces(CONTENT_TYPES.ndjson, CONTENT_TYPES.csv)
  @ApiOkResponse({
    description: 'The events, NDJSON or CSV',
    headers: { 'X-Next-Cursor': { description: 'The cursor to resume from', schema: { type: 'string' } } },
    content: {
      [CONTENT_TYPES.ndjson]: { schema: { type: 'string', example: '{"pk": "...", ...}\n{"next_cursor": "..."}\n' } },
      [CONTENT_TYPES.csv]: { schema: { type: 'string', example: 'pk,user,action,app,context,client_ip,created,expires,brand\r\n...' } },
    },
  })
  async streamEvents(@Query() query: ListQuery, @Res() reply: FastifyReply): Promise<void> {
    const response = await this.stream.fromQuery(query);
    void reply.header('X-Next-Cursor', response.nextCursor).type(CONTENT_TYPES[response.format]).send(response.body);
  }
}
