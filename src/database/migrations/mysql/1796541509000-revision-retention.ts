import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Revisions outlive their event and go by their own retention (REVISION_RETENTION, from when each
 * was recorded): the purge finds the aged-out ones through this index, oldest first, a bounded
 * batch at a time, instead of scanning the table. Built online (the table stays writable).
 */
export class RevisionRetentionMysql1796541509000 implements MigrationInterface {
  name = 'RevisionRetentionMysql1796541509000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE `event_revisions` ADD INDEX `idx_event_revisions_recorded` (`recorded`), ALGORITHM=INPLACE, LOCK=NONE');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE `event_revisions` DROP INDEX `idx_event_revisions_recorded`');
  }
}
