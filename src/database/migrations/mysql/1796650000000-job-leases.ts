import { MigrationInterface, QueryRunner } from 'typeorm';

/** Leases of the jobs run once across instances (issue 16): a row, since GET_LOCK is local to one Galera node. */
export class JobLeasesMysql1796650000000 implements MigrationInterface {
  name = 'JobLeasesMysql1796650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE \`job_leases\` (
      \`name\` varchar(64) NOT NULL,
      \`holder\` varchar(128) NOT NULL,
      \`expires\` bigint NOT NULL,
      PRIMARY KEY (\`name\`)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE `job_leases`');
  }
}
