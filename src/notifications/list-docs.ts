import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiQuery } from '@nestjs/swagger';
import { textQuery } from '@app/common';

/** `ordering`, `page`, `page_size` and `search`, typed as authentik's schema types them. */
export const ListQueryDocs = () =>
  applyDecorators(
    textQuery('ordering', 'Which field to use when ordering the results.'),
    ApiQuery({ name: 'page', required: false, type: 'integer', description: 'A page number within the paginated result set.' }),
    ApiQuery({ name: 'page_size', required: false, type: 'integer', description: 'Number of results to return per page.' }),
    textQuery('search', 'A search term.'),
  );

/** The `{uuid}` path parameter of a transport or notification. */
export const UuidPathParam = (model: string) =>
  ApiParam({ name: 'uuid', type: 'string', format: 'uuid', description: `A UUID string identifying this ${model}.` });
