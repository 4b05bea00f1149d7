import { Controller, Get, Injectable, Module, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, RequirePermission } from '@app/auth';
import { EventDto, EventRecorder, EventsModule, RequestEventRecorder, RequestEvents } from '../../src/events';

/** This module's own permissions, named as authentik names them. */
export const FlowPermission = {
  clearFlowCache: 'authentik_flows.clear_flow_cache',
} as const;

// Makes `@RequirePermission` accept them. To make them assignable to roles through the RBAC API,
// list them in `Permission` (libs/auth/src/permissions.ts) instead.
declare module '@app/auth' {
  interface ModulePermissions {
    flows: (typeof FlowPermission)[keyof typeof FlowPermission];
  }
}

@Injectable()
export class FlowCache {
  private readonly entries = new Map<string, object>();

  constructor(private readonly events: EventRecorder) {}

  size(): number {
    return this.entries.size;
  }

  /** Empties the cache; how many entries it held. */
  clear(): number {
    const held = this.entries.size;
    this.entries.clear();
    return held;
  }

  /** Outside a request (a job, a queue consumer): no http_request, and no user unless you pass `user`. */
  expire(): Promise<EventDto> {
    return this.events.record('flow_cache_expired', { context: { expired: this.clear() } });
  }
}

@ApiTags('flows')
@Controller('flows/instances')
export class FlowsController {
  constructor(private readonly cache: FlowCache) {}

  @Get('cache_info')
  @Public()
  @ApiOperation({ operationId: 'flows_instances_cache_info_retrieve', description: 'Size of the flow cache' })
  @ApiOkResponse({ schema: { type: 'object', properties: { count: { type: 'integer' } } } })
  cacheInfo(): { count: number } {
    return { count: this.cache.size() };
  }

  @Post('cache_clear')
  @RequirePermission(FlowPermission.clearFlowCache)
  @ApiOperation({ operationId: 'flows_instances_cache_clear_create', description: 'Clear the flow cache' })
  @ApiCreatedResponse({ type: EventDto, description: 'The event recorded' })
  cacheClear(@RequestEvents() events: RequestEventRecorder): Promise<EventDto> {
    // The request fills in context.http_request, the caller as user, and client_ip.
    return events.record('flow_cache_cleared', { context: { cleared: this.cache.clear() } });
  }
}

@Module({
  imports: [EventsModule.forFeature('authentik.flows')],
  providers: [FlowCache],
  controllers: [FlowsController],
})
export class FlowsModule {}
