import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal, Principal } from '@app/auth';
import { ApiErrorResponses, GenericError, UuidParamPipe } from '@app/common';
import type { ListQuery } from '../events';
import { DataExportsService } from './data-exports.service';
import { DataExportDto, PaginatedDataExportList } from './dto/data-export.dto';

const ExportIdParam = () =>
  ApiParam({ name: 'id', type: 'string', format: 'uuid', description: 'A UUID string identifying this Data Export.' });

/**
 * `/api/v3/reports/exports/`: reading data exports back (authentik's `DataExportViewSet`):
 * poll one until `completed`, then download its file. Visible to the requester and superusers.
 */
@ApiTags('reports')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('reports/exports')
export class ReportsExportsController {
  constructor(private readonly exports: DataExportsService) {}

  @Get()
  @ApiOperation({ operationId: 'reports_exports_list', description: 'Your data exports (all of them for a superuser), newest first.' })
  @ApiQuery({ name: 'page', type: 'integer', required: false, description: 'A page number within the paginated result set.' })
  @ApiQuery({ name: 'page_size', type: 'integer', required: false, description: 'Number of results to return per page.' })
  @ApiOkResponse({ type: PaginatedDataExportList, description: '' })
  list(@Query() query: ListQuery, @CurrentPrincipal() principal: Principal): Promise<PaginatedDataExportList> {
    return this.exports.list(query, principal);
  }

  @Get(':id')
  @ApiOperation({ operationId: 'reports_exports_retrieve', description: 'One data export: poll it until `completed` is true.' })
  @ExportIdParam()
  @ApiOkResponse({ type: DataExportDto, description: '' })
  @ApiNotFoundResponse({ type: GenericError, description: 'No such export, or not yours' })
  retrieve(@Param('id', UuidParamPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<DataExportDto> {
    return this.exports.retrieve(id, principal);
  }

  @Get(':id/download')
  @ApiOperation({
    operationId: 'reports_exports_download_retrieve',
    description: 'The export file (CSV: a header row, then one row per event) once `completed`; the `file_url` of a completed export.',
  })
  @ExportIdParam()
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'The CSV file', content: { 'text/csv': { schema: { type: 'string', format: 'binary' } } } })
  @ApiNotFoundResponse({ type: GenericError, description: 'No such export, not yours, or not completed yet' })
  async download(
    @Param('id', UuidParamPipe) id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { file, filename } = await this.exports.download(id, principal);
    void reply.type('text/csv; charset=utf-8').header('Content-Disposition', `attachment; filename="${filename}"`).send(file);
  }
}
