import { Controller, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal, RequirePermission } from '@app/auth';
import { ApiErrorResponses } from '@app/common';
import type { ListQuery } from '../query';
import { ApiEventListFilters } from '../stream/event-filter-docs';
import { DataExportsService } from './data-exports.service';
import { DataExportDto } from './dto/data-export.dto';

/** authentik's words for the operation (its docstring), as the reference schema carries them. */
const EXPORT_DESCRIPTION = [
  'Create a data export for this data type. Note that the export is generated asynchronously:',
  'this method returns a `DataExport` object that will initially have `completed=false` as well',
  'as the permanent URL to that object in the `Location` header.',
  'You can poll that URL until `completed=true`, at which point the `file_url` property will',
  'contain a URL to download',
].join('\n');

/** `POST /api/v3/events/events/export/`: `events_events_export_create` (SPEC §3.5). */
@ApiTags('events')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('events/events')
export class EventsExportController {
  constructor(private readonly exports: DataExportsService) {}

  @Post('export')
  @HttpCode(201)
  @RequirePermission('authentik_events.view_event')
  @ApiOperation({ operationId: 'events_events_export_create', description: EXPORT_DESCRIPTION })
  @ApiEventListFilters({ withOrdering: true })
  @ApiCreatedResponse({ type: DataExportDto, description: '' })
  async export(
    @Query() query: ListQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataExportDto> {
    const created = await this.exports.requestEventExport(query, principal);
    void reply.header('Location', this.exports.location(created.id));
    return created;
  }
}
