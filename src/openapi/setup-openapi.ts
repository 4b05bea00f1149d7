import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { OpenApiDocument } from './openapi-document';

export const SECURITY_SCHEME = 'authentik';

/**
 * Builds the OpenAPI document in authentik's shape (server `/api/v3`, paths relative to it with
 * a trailing slash, bearer scheme named `authentik`) and serves Swagger UI at `/api/v3/`, the
 * events tag first.
 */
export function setupOpenApi(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('eventlog')
    .setDescription("Audit events over authentik's Events API (`/api/v3/events/events/`).")
    .setVersion('2026.8.3')
    .addServer('/api/v3')
    .addBearerAuth({ type: 'http', scheme: 'bearer' }, SECURITY_SCHEME)
    .build();
  const generated = SwaggerModule.createDocument(app, config, {
    ignoreGlobalPrefix: true,
    operationIdFactory: (_controller, method) => method,
  });
  const document = withTrailingSlashes(generated);
  app.get(OpenApiDocument).set(document);
  SwaggerModule.setup('api/v3', app, document, {
    useGlobalPrefix: false,
    raw: false,
    customSiteTitle: 'eventlog API',
    swaggerOptions: {
      url: '/api/v3/schema/?format=json',
      persistAuthorization: true,
      displayOperationId: true,
      // The product first: Swagger UI would list the tags as the paths come (`core` first). Runs in the browser, so literals only.
      tagsSorter: (a: string, b: string) => (a === b ? 0 : a === 'events' ? -1 : b === 'events' ? 1 : a.localeCompare(b)),
    },
  });
  return document;
}

/** authentik's paths all end in `/`. */
function withTrailingSlashes(document: OpenAPIObject): OpenAPIObject {
  const paths: OpenAPIObject['paths'] = {};
  for (const [path, item] of Object.entries(document.paths)) {
    paths[path.endsWith('/') ? path : `${path}/`] = item;
  }
  return { ...document, paths };
}
