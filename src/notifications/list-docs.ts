import { ApiParam } from '@nestjs/swagger';

/** The `{uuid}` path parameter of a transport or notification. */
export const UuidPathParam = (model: string) =>
  ApiParam({ name: 'uuid', type: 'string', format: 'uuid', description: `A UUID string identifying this ${model}.` });
