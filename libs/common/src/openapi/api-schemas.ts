import { applyDecorators } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiProperty, ApiSchema } from '@nestjs/swagger';

/*
 * Schemas every authentik-style API shares (components of the reference OpenAPI document), so
 * that each module documents pages and errors under the same component names.
 *
 * `@ApiSchema` merges any option besides `name` into the generated schema; that is the only way
 * to give a class schema `additionalProperties`, hence the widened option objects below.
 */
type SchemaOptions = Parameters<typeof ApiSchema>[0] & Record<string, unknown>;
const ApiSchemaWith = (options: SchemaOptions) => ApiSchema(options);

/** authentik's `Pagination` block (see `buildPagination`). */
@ApiSchema({ name: 'Pagination' })
export class PaginationSchema {
  @ApiProperty({ type: 'number' }) next: number;
  @ApiProperty({ type: 'number' }) previous: number;
  @ApiProperty({ type: 'number' }) count: number;
  @ApiProperty({ type: 'number' }) current: number;
  @ApiProperty({ type: 'number' }) total_pages: number;
  @ApiProperty({ type: 'number' }) start_index: number;
  @ApiProperty({ type: 'number' }) end_index: number;
}

/** Free-form description of the searchable fields, for query-language editors. */
@ApiSchemaWith({ name: 'Autocomplete', additionalProperties: {} })
export class AutocompleteSchema {}

@ApiSchema({ name: 'GenericError', description: 'Generic API Error' })
export class GenericError {
  @ApiProperty({ type: 'string' }) detail: string;
  @ApiProperty({ type: 'string', required: false }) code?: string;
}

@ApiSchemaWith({ name: 'ValidationError', description: 'Validation Error', additionalProperties: {} })
export class ValidationError {
  @ApiProperty({ type: 'array', items: { type: 'string' }, required: false }) non_field_errors?: string[];
  @ApiProperty({ type: 'string', required: false }) code?: string;
}

/** The 400 and 403 answers every authentik operation documents. */
export const ApiErrorResponses = () =>
  applyDecorators(
    ApiBadRequestResponse({ description: '', type: ValidationError }),
    ApiForbiddenResponse({ description: '', type: GenericError }),
  );
