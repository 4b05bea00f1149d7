import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';

/** OpenAPI documentation of list query parameters, named and described as authentik does. */
export const textQuery = (name: string, description?: string) => ApiQuery({ name, required: false, type: String, description });

export const flagQuery = (name: string) => ApiQuery({ name, required: false, type: Boolean });

export const manyQuery = (name: string, format?: string, type: 'string' | 'integer' = 'string') =>
  ApiQuery({ name, required: false, isArray: true, explode: true, style: 'form', schema: { type: 'array', items: { type, format } } });

/** `ordering`, `page`, `page_size` and `search`, common to every list. */
export const PaginatedListQueryDocs = () =>
  applyDecorators(
    textQuery('ordering', 'Which field to use when ordering the results.'),
    ApiQuery({ name: 'page', required: false, type: 'integer', description: 'A page number within the paginated result set.' }),
    ApiQuery({ name: 'page_size', required: false, type: 'integer', description: 'Number of results to return per page.' }),
    textQuery('search', 'A search term.'),
  );
