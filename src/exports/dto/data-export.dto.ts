import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, Pagination, PaginationSchema } from '@app/common';
import { PartialUserDto } from '../../identity/users/dto/partial-user.dto';

/** Django's content type of the exported model (always `authentik_events.event` here). */
@ApiSchema({ name: 'ContentType' })
export class ContentTypeDto {
  @ApiProperty({ type: 'integer', readOnly: true }) id: number;
  @ApiProperty({ type: 'string', readOnly: true }) app_label: string;
  @ApiProperty({ type: 'string', readOnly: true }) model: string;
  @ApiProperty({ type: 'string', readOnly: true }) verbose_name_plural: string;
  @ApiProperty({ type: 'string', readOnly: true }) fully_qualified_model: string;
}

/** A data export (docs/api-contract.md §3.5): `file_url` is empty until `completed`. */
@ApiSchema({
  name: 'DataExport',
  description: 'Mixin to validate that a valid enterprise license\nexists before allowing to save the object',
})
export class DataExportDto {
  @ApiProperty({ type: 'string', format: 'uuid', readOnly: true }) id: string;
  @ApiProperty({ allOf: [{ $ref: '#/components/schemas/PartialUser' }], readOnly: true }) requested_by: PartialUserDto | null;
  @ApiProperty({ type: 'string', format: 'date-time', readOnly: true }) requested_on: string;
  @ApiProperty({ allOf: [{ $ref: '#/components/schemas/ContentType' }], readOnly: true }) content_type: ContentTypeDto;
  @ApiProperty({ type: 'object', additionalProperties: {} }) query_params: Record<string, unknown>;
  @ApiProperty({ type: 'string', readOnly: true }) file_url: string;
  @ApiProperty({ type: 'boolean', readOnly: true }) completed: boolean;
}

@ApiSchema({ name: 'PaginatedDataExportList' })
export class PaginatedDataExportList {
  @ApiProperty({ type: () => PaginationSchema }) pagination: Pagination;
  @ApiProperty({ type: () => DataExportDto, isArray: true }) results: DataExportDto[];
  @ApiProperty({ type: () => AutocompleteSchema }) autocomplete: Record<string, unknown>;
}
