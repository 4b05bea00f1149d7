import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { AllExceptionsFilter, DrfValidationPipe, RouteTable } from '@app/common';

/**
 * The HTTP conventions every module shares: the DRF validation pipe and the one exception
 * filter. The route table is filled by Fastify (see configure-fastify). The bearer guard is
 * registered by the identity module, which owns tokens.
 */
@Global()
@Module({
  providers: [RouteTable, { provide: APP_FILTER, useClass: AllExceptionsFilter }, { provide: APP_PIPE, useClass: DrfValidationPipe }],
  exports: [RouteTable],
})
export class HttpModule {}
