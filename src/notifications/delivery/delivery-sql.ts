import { Dialect, join, raw, RawSql, sql, SqlCondition, values } from '../../database/sql';
import type { PlannedDelivery } from '../rules/delivery-plan';
import type { DeliveryStatus } from '../entities/notification-delivery.entity';
import { deliveryUuid } from './delivery-key';

const TABLE = 'notification_deliveries';

/** A claimed delivery: its uuid and the attempt this claim is (attempts after the claim). */
export interface ClaimedRow {
  uuid: string;
  attempts: number | string;
}

/**
 * The statements of `notification_deliveries`' work queue. Every change of a claimed row is
 * conditional on the attempt that claimed it still being the latest, so a worker whose lease
 * ran out (and whose row another worker took) changes nothing when it finally finishes.
 */
export class DeliverySql {
  private readonly table: RawSql;

  constructor(private readonly dialect: Dialect) {
    this.table = dialect.column(TABLE);
  }

  /** Plans as pending rows due now; a row whose uuid (so idempotency key) exists already is skipped. */
  insertPlanned(deliveries: readonly PlannedDelivery[], now: number): SqlCondition {
    const columns = [
      'uuid',
      'idempotency_key',
      'event_uuid',
      'revision',
      'rule_uuid',
      'transport_uuid',
      'recipient_id',
      'severity',
      'status',
      'attempts',
      'next_attempt_at',
      'created',
    ].map((c) => this.dialect.quote(c));
    const rows = deliveries.map(
      (d) =>
        sql`(${values([deliveryUuid(d.idempotencyKey), d.idempotencyKey, d.eventUuid, d.revision, d.rulePk, d.transportPk, d.recipientPk, d.severity, 'pending', 0, now, now])})`,
    );
    return sql`${this.dialect.insertIgnoringDuplicates()} ${this.table} (${raw(columns.join(', '))}) VALUES ${join(rows, ', ')}`;
  }

  /** Up to `limit` pending deliveries due by `now`, soonest first, locked and skipped by other claimers (MariaDB). */
  claimDue(now: number, limit: number): SqlCondition {
    const c = (name: string) => this.dialect.column(name);
    return sql`SELECT ${c('uuid')}, ${c('attempts')} FROM ${this.table} WHERE ${c('status')} = 'pending' AND ${c('next_attempt_at')} <= ${now} ORDER BY ${c('next_attempt_at')} LIMIT ${limit}${this.dialect.lockRowsSkippingLocked()}`;
  }

  /** Starts an attempt of each: counted, and not due again before `until` (the lease; a dead worker's row comes back then). */
  lease(uuids: readonly string[], until: number): SqlCondition {
    const c = (name: string) => this.dialect.column(name);
    return sql`UPDATE ${this.table} SET ${c('attempts')} = ${c('attempts')} + 1, ${c('next_attempt_at')} = ${until} WHERE ${c('uuid')} IN (${values([...uuids])})`;
  }

  delivered(uuid: string, attempt: number, now: number): SqlCondition {
    return this.finish(
      uuid,
      attempt,
      sql`${this.set('status', 'delivered')}, ${this.set('next_attempt_at', null)}, ${this.set('finished', now)}, ${this.set('last_error', null)}`,
    );
  }

  /** Failed for good (`failed`), or not sent because its event, rule or recipient is gone (`skipped`). */
  givenUp(
    uuid: string,
    attempt: number,
    now: number,
    status: Exclude<DeliveryStatus, 'pending' | 'delivered'>,
    error: string,
  ): SqlCondition {
    return this.finish(
      uuid,
      attempt,
      sql`${this.set('status', status)}, ${this.set('next_attempt_at', null)}, ${this.set('finished', now)}, ${this.set('last_error', error)}`,
    );
  }

  /** Failed this time; due again at `next`. */
  retryAt(uuid: string, attempt: number, next: number, error: string): SqlCondition {
    return this.finish(uuid, attempt, sql`${this.set('next_attempt_at', next)}, ${this.set('last_error', error)}`);
  }

  /** Up to `limit` deliveries finished at or before `upTo`, oldest first. */
  pruneFinished(upTo: number, limit: number): SqlCondition {
    return this.dialect.deleteOldest(TABLE, 'finished', upTo, limit);
  }

  private finish(uuid: string, attempt: number, assignments: SqlCondition): SqlCondition {
    const c = (name: string) => this.dialect.column(name);
    return sql`UPDATE ${this.table} SET ${assignments} WHERE ${c('uuid')} = ${uuid} AND ${c('attempts')} = ${attempt} AND ${c('status')} = 'pending'`;
  }

  private set(column: string, value: unknown): SqlCondition {
    return sql`${this.dialect.column(column)} = ${value}`;
  }
}
