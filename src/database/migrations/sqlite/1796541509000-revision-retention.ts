import { MigrationInterface, QueryRunner } from 'typeorm';

/** The index the revisions' retention deletes through (see the mysql migration). */
export class RevisionRetentionSqlite1796541509000 implements MigrationInterface {
  name = 'RevisionRetentionSqlite1796541509000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX "idx_event_revisions_recorded" ON "event_revisions" ("recorded")');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "idx_event_revisions_recorded"');
  }
}
