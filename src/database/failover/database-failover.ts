import type { AppConfig } from '../../config/app-config';
import { HostFailover } from './host-failover';

const FAILOVERS = new WeakMap<AppConfig['database'], HostFailover>();

/**
 * The instance's choice among DATABASE_URL's hosts, shared by every pool made from this
 * configuration (TypeORM's, the writer's, the heavy reads'), so they all move together.
 * Undefined for SQLite and for a single MariaDB host: nothing to choose, nothing changes.
 */
export function failoverFor(config: AppConfig): HostFailover | undefined {
  const { database } = config;
  if (database.type !== 'mysql' || database.hosts.length < 2) return undefined;
  let failover = FAILOVERS.get(database);
  if (!failover) {
    failover = new HostFailover(database.hosts, { checkEveryMs: database.failoverCheckMs, timeoutMs: database.timeoutMs });
    FAILOVERS.set(database, failover);
  }
  return failover;
}
