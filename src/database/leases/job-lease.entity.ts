import { Column, Entity, PrimaryColumn } from 'typeorm';
import { microsColumn } from '@app/common';

/**
 * Who runs a job that must run once across every instance sharing the database (the purge, the
 * export cleanup): a row per job, held until `expires` (see job-leases.ts). A row, not a lock of
 * the server (`GET_LOCK`), because on a Galera cluster such a lock exists on one node only.
 */
@Entity('job_leases')
export class JobLease {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  /** The instance holding it (JobLeases' `holder`). */
  @Column({ type: 'varchar', length: 128 })
  holder: string;

  /** Microseconds since the epoch; from then on anyone may take the lease. */
  @Column(microsColumn())
  expires: number;
}
