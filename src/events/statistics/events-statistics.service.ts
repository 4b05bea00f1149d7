import { Injectable } from '@nestjs/common';
import { nowMicros } from '@app/common';
import { hasPermission, Permission, Principal } from '@app/auth';
import { HeavyReads } from '../../database/heavy-reads';
import { Dialect } from '../../database/sql';
import {
  EventStats,
  EventTopPerUser,
  EventVolume,
  ListQuery,
  StatisticsQuery,
  statsStatistics,
  topPerUserStatistics,
  volumeStatistics,
} from '../query';

/**
 * The statistics of docs/api-contract.md §3.4. The SQL and the parameter validation (400s) live in
 * src/events/query/statistics.ts; this only runs the statement at one instant and maps the rows.
 */
@Injectable()
export class EventsStatisticsService {
  constructor(
    private readonly heavyReads: HeavyReads,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Validated first (a bad `top_n` is a 400 for everyone); then, as authentik's
   * `get_objects_for_user`, a caller without `view_event` sees no events: `[]`, not a 403.
   */
  async topPerUser(query: ListQuery, principal: Principal): Promise<EventTopPerUser[]> {
    const statement = topPerUserStatistics(query, this.dialect, nowMicros());
    if (!hasPermission(principal, Permission.viewEvent)) return [];
    return this.run(statement);
  }

  volume(query: ListQuery): Promise<EventVolume[]> {
    return this.run(volumeStatistics(query, this.dialect, nowMicros()));
  }

  stats(query: ListQuery): Promise<EventStats> {
    return this.run(statsStatistics(query, this.dialect, nowMicros()));
  }

  private async run<T>(statement: StatisticsQuery<T>): Promise<T> {
    return statement.toResponse(await this.heavyReads.query(statement.sql, statement.params));
  }
}
