import { MigrationInterface, QueryRunner } from 'typeorm';

/** Leases of the jobs run once across instances (issue 16; see the mysql migration). */
export class JobLeasesSqlite1796650000000 implements MigrationInterface {
  name = 'JobLeasesSqlite1796650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "job_leases" (
      "name" varchar(64) PRIMARY KEY NOT NULL,
      "holder" varchar(128) NOT NULL,
      "expires" bigint NOT NULL
    )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE "job_leases"');
  }
}
