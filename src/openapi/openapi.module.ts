import { Global, Module } from '@nestjs/common';
import { OpenApiDocument } from './openapi-document';
import { SchemaController } from './schema.controller';

@Global()
@Module({ providers: [OpenApiDocument], controllers: [SchemaController], exports: [OpenApiDocument] })
export class OpenApiModule {}
