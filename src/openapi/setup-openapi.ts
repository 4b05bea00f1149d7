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
  const document = withGuardSecurity(withTrailingSlashes(generated));
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

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * The document states what the global guard enforces: every operation needs the bearer key,
 * listed on the operation as authentik does (`security: [{authentik: []}]`), even when its
 * controller has no `@ApiBearerAuth`, so "Try it out" sends the key given to Authorize. An
 * operation marked `@Public()` (its requirements include the empty one) gets authentik's shape
 * for a route open to anyone (drf-spectacular's, e.g. `root_config_retrieve`): the key or nothing.
 */
function withGuardSecurity(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const declared = operation.security ?? [];
      if (declared.some((requirement) => Object.keys(requirement).length === 0)) operation.security = [{ [SECURITY_SCHEME]: [] }, {}];
      else if (declared.length === 0) operation.security = [{ [SECURITY_SCHEME]: [] }];
    }
  }
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
