import { Controller, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal, Permission, RequirePermission } from '@app/auth';
import { ApiErrorResponses, GenericError } from '@app/common';
import { ApiEventListFilters } from '../events';
import type { ListQuery } from '../events';
import { DataExportsService } from './data-exports.service';
import { DataExportDto } from './dto/data-export.dto';
import { ExportsBusyException } from './export-jobs';

/** authentik's words for the operation (its docstring), as the reference schema carries them. */
const EXPORT_DESCRIPTION = [
  'Create a data export for this data type. Note that the export is generated asynchronously:',
  'this method returns a `DataExport` object that will initially have `completed=false` as well',
  'as the permanent URL to that object in the `Location` header.',
  'You can poll that URL until `completed=true`, at which point the `file_url` property will',
  'contain a URL to download',
].join('\n');

/** `POST /api/v3/events/events/export/`: `events_events_export_create` (docs/api-contract.md §3.5). */
@ApiTags('events')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('events/events')
export class EventsExportController {
  constructor(private readonly exports: DataExportsService) {}

  @Post('export')
  @HttpCode(201)
  @RequirePermission(Permission.viewEvent)
  @ApiOperation({ operationId: 'events_events_export_create', description: EXPORT_DESCRIPTION })
  @ApiEventListFilters({ withOrdering: true })
  @ApiCreatedResponse({ type: DataExportDto, description: '' })
  @ApiTooManyRequestsResponse({
    type: GenericError,
    description: 'Too many exports running (yours, or in total); nothing was stored. `Retry-After` says when to try again.',
  })
  async export(
    @Query() query: ListQuery,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<DataExportDto> {
    try {
      const created = await this.exports.requestEventExport(query, principal);
      void reply.header('Location', this.exports.location(created.id));
      return created;
    } catch (error) {
      // DRF's Throttled answers carry the wait in Retry-After; the global filter keeps reply headers.
      if (error instanceof ExportsBusyException) void reply.header('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  }
}
