import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { nowMicros } from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { affectedRowsAlone, Dialect, sql, SqlCondition } from '../sql';

/** What a job sees of its lease while it runs. */
export interface HeldLease {
  /** True once a renewal found the lease taken by another instance (it had expired): stop soon. */
  readonly lost: boolean;
}

export type LeasedRun<T> = { ran: true; result: T } | { ran: false };

/** MariaDB's answer when Galera certification (or InnoDB) rejected a transaction for a concurrent one. */
const DEADLOCK_ERRNO = 1213;

/**
 * Jobs run once across every instance sharing the database, by a row of `job_leases` per job
 * (not `GET_LOCK`, which a Galera node keeps to itself). Taking it is one conditional statement
 * that succeeds only when the lease is free or expired; the holder renews it while the job runs
 * and deletes it at the end. A holder that dies without releasing loses it at expiry, and the
 * next instance to try takes over. Times are the instances' clocks (keep them in sync, NTP): a
 * skew shortens or lengthens a dead holder's lease by as much.
 */
@Injectable()
export class JobLeases {
  private readonly logger = new Logger(JobLeases.name);
  /** This instance in `job_leases.holder`: host, process and a random part (a pid comes back after a restart). */
  readonly holder = `${hostname().slice(0, 96)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly leaseMs: number;

  constructor(
    private readonly dataSource: DataSource,
    private readonly dialect: Dialect,
    @InjectConfig() config: AppConfig,
  ) {
    this.leaseMs = config.jobLeaseMs;
  }

  /** Runs `job` if this instance gets the lease `name`, renewing it meanwhile and releasing it after. */
  async runOnce<T>(name: string, job: (lease: HeldLease) => Promise<T>): Promise<LeasedRun<T>> {
    if (!(await this.acquire(name))) return { ran: false };
    const lease = { lost: false };
    const timer = setInterval(() => {
      this.renew(name).then(
        (held) => {
          if (!held && !lease.lost) this.logger.warn(`lost the lease "${name}" to another instance; stopping the job`);
          lease.lost ||= !held;
        },
        // A failed renewal is not a lost lease: the next one may succeed before expiry.
        (error: Error) => this.logger.warn(`renewing the lease "${name}" failed: ${error.message}`),
      );
      // Three renewals per lease length: one failing (a brief outage) does not lose it.
    }, this.leaseMs / 3);
    timer.unref();
    try {
      return { ran: true, result: await job(lease) };
    } finally {
      clearInterval(timer);
      await this.release(name).catch((error: Error) => this.logger.warn(`releasing the lease "${name}" failed: ${error.message}`));
    }
  }

  /**
   * True when this instance now holds `name` until now + JOB_LEASE_MS: an expired row is taken
   * over by one conditional UPDATE, a missing one created by an INSERT that skips an existing
   * key. Two instances racing get one winner: the row lock on one node, certification across
   * Galera nodes (the loser's deadlock error means "not acquired").
   */
  async acquire(name: string): Promise<boolean> {
    const now = nowMicros();
    const expires = now + this.leaseMs * 1000;
    try {
      const takeover = sql`UPDATE job_leases SET holder = ${this.holder}, expires = ${expires} WHERE name = ${name} AND expires <= ${now}`;
      if ((await this.affected(takeover)) === 1) return true;
      const create = sql`${this.dialect.insertIgnoringDuplicates()} job_leases (name, holder, expires) VALUES (${name}, ${this.holder}, ${expires})`;
      return (await this.affected(create)) === 1;
    } catch (error) {
      if ((error as { errno?: number }).errno === DEADLOCK_ERRNO) return false;
      throw error;
    }
  }

  /** Extends the lease this instance holds; false when it no longer holds it. */
  async renew(name: string): Promise<boolean> {
    const expires = nowMicros() + this.leaseMs * 1000;
    return (await this.affected(sql`UPDATE job_leases SET expires = ${expires} WHERE name = ${name} AND holder = ${this.holder}`)) === 1;
  }

  /** Frees the lease at once (if still this instance's), for whoever asks next. */
  async release(name: string): Promise<void> {
    await this.affected(sql`DELETE FROM job_leases WHERE name = ${name} AND holder = ${this.holder}`);
  }

  private affected(statement: SqlCondition): Promise<number> {
    return affectedRowsAlone(this.dataSource, statement);
  }
}
