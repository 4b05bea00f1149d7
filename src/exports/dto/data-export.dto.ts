import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, Pagination, PaginationSchema } from '@app/common';

/** authentik's `PartialUser`: who requested an export. */
@ApiSchema({ name: 'PartialUser', description: 'Partial User Serializer, does not include child relations.' })
export class PartialUserDto {
  @ApiProperty({ type: 'integer', readOnly: true, title: 'ID' }) pk: number;
  @ApiProperty({
    type: 'string',
    description: 'Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.',
    pattern: '^[\\w.@+-]+$',
    maxLength: 150,
  })
  username: string;
  @ApiProperty({ type: 'string', description: "User's display name." }) name: string;
  @ApiPropertyOptional({
    type: 'boolean',
    title: 'Active',
    description: 'Designates whether this user should be treated as active. Unselect this instead of deleting accounts.',
  })
  is_active: boolean;
  @ApiPropertyOptional({ type: 'string', format: 'date-time', nullable: true }) last_login: string | null;
  @ApiPropertyOptional({ type: 'string', format: 'email', title: 'Email address', maxLength: 254 }) email: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: {} }) attributes: Record<string, unknown>;
  @ApiProperty({ type: 'string', readOnly: true }) uid: string;
}

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
@ApiSchema({ name: 'DataExport', description: 'Mixin to validate that a valid enterprise license\nexists before allowing to save the object' })
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
