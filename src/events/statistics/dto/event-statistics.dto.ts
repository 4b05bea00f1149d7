import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { EVENT_ACTIONS } from '../../event-actions';
import type { EventStats, EventTopPerUser, EventVolume } from '../../query';

/** The response bodies of docs/api-contract.md §3.4 under the reference's component names; the classes only describe the schema. */
@ApiSchema({ name: 'EventTopPerUser', description: "Response object of Event's top_per_user" })
export class EventTopPerUserDto implements EventTopPerUser {
  @ApiProperty({ type: 'object', additionalProperties: {} }) application: Record<string, unknown>;
  @ApiProperty({ type: 'integer' }) counted_events: number;
  @ApiProperty({ type: 'integer' }) unique_users: number;
}

@ApiSchema({ name: 'EventVolume', description: 'Count of events of action created on day for a single event action' })
export class EventVolumeDto implements EventVolume {
  @ApiProperty({ enum: EVENT_ACTIONS, enumName: 'EventActions' }) action: string;
  @ApiProperty({ type: 'string', format: 'date-time' }) time: string;
  @ApiProperty({ type: 'integer' }) count: number;
}

@ApiSchema({
  name: 'EventStats',
  description: 'Count of unique users in events and aggregated counts per specified deltas',
})
export class EventStatsDto implements EventStats {
  @ApiProperty({ type: 'integer' }) unique_users: number;
  @ApiProperty({ type: 'object', additionalProperties: {} }) count_step: Record<string, number>;
}
