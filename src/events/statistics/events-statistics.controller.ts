import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Permission, Principal, RequirePermission } from '@app/auth';
import { ApiErrorResponses } from '@app/common';
import type { ListQuery } from '../query';
import { ApiEventListFilters } from '../stream/event-filter-docs';
import { EventStatsDto, EventTopPerUserDto, EventVolumeDto } from './dto/event-statistics.dto';
import { EventsStatisticsService } from './events-statistics.service';

/**
 * `/api/v3/events/events/{top_per_user,volume,stats}/` (docs/api-contract.md §3.4). Registered before
 * EventsController (see EventsModule) so these static paths are never read as an `event_uuid`.
 * authentik documents the list filters on all three; `top_per_user` reads only `action` and `top_n`.
 */
@ApiTags('events')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('events/events')
export class EventsStatisticsController {
  constructor(private readonly statistics: EventsStatisticsService) {}

  /** Any authenticated user; without `view_event` the answer is `[]` (decided in the service). */
  @Get('top_per_user')
  @ApiOperation({ operationId: 'events_events_top_per_user_list', description: 'Get the top_n events grouped by user count' })
  @ApiEventListFilters({ withOrdering: true })
  @ApiQuery({ name: 'top_n', required: false, schema: { type: 'integer', default: 15 } })
  @ApiOkResponse({ type: EventTopPerUserDto, isArray: true, description: '' })
  topPerUser(@Query() query: ListQuery, @CurrentPrincipal() principal: Principal): Promise<EventTopPerUserDto[]> {
    return this.statistics.topPerUser(query, principal);
  }

  @Get('volume')
  @RequirePermission(Permission.viewEvent)
  @ApiOperation({ operationId: 'events_events_volume_list', description: 'Get event volume for specified filters and timeframe' })
  @ApiEventListFilters({ withOrdering: true })
  @ApiQuery({ name: 'history_days', required: false, schema: { type: 'integer', default: 7 } })
  @ApiOkResponse({ type: EventVolumeDto, isArray: true, description: '' })
  volume(@Query() query: ListQuery): Promise<EventVolumeDto[]> {
    return this.statistics.volume(query);
  }

  @Get('stats')
  @RequirePermission(Permission.viewEvent)
  @ApiOperation({ operationId: 'events_events_stats_retrieve', description: 'Get event stats for specified filters and count steps' })
  @ApiEventListFilters({ withOrdering: true })
  @ApiQuery({
    name: 'count_steps',
    required: true,
    schema: { type: 'array', items: { type: 'string', minLength: 1 } },
    description: "Timedelta, format of 'weeks=3;days=2;hours=3,seconds=2'",
  })
  @ApiOkResponse({ type: EventStatsDto, description: '' })
  stats(@Query() query: ListQuery): Promise<EventStatsDto> {
    return this.statistics.stats(query);
  }
}
