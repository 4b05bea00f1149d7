import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '@app/auth';
import { OpenApiDocument } from './openapi-document';

/** `GET /api/v3/schema/`: the OpenAPI document, YAML by default, `?format=json` for JSON. */
@ApiExcludeController()
@Public()
@Controller('schema')
export class SchemaController {
  constructor(private readonly document: OpenApiDocument) {}

  @Get()
  @Header('Cache-Control', 'no-cache')
  schema(@Query('format') format: unknown, @Res() reply: FastifyReply): void {
    if (format === 'json') {
      reply.type('application/json').send(this.document.asJson());
    } else {
      reply.type('application/vnd.oai.openapi; charset=utf-8').send(this.document.asYaml());
    }
  }
}
