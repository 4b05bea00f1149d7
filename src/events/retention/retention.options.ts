/** Rows deleted per statement: small enough for short transactions, large enough to keep up. */
export const DEFAULT_PURGE_BATCH_SIZE = 5000;

/**
 * Tables whose rows belong to an event through an `event_uuid` column and go with it: the purge
 * deletes their rows for the expired events in the same transaction as the events themselves, so
 * nothing is left pointing at a purged event. A feature that adds such a table adds its name here.
 * `event_revisions` is deliberately not one: an event's history outlives it (README, "Retention").
 */
export const EVENT_DEPENDENT_TABLES: readonly string[] = [];

export interface RetentionOptions {
  batchSize: number;
  dependentTables: readonly string[];
  /** REVISION_RETENTION: revisions recorded longer ago than this are deleted; 0 keeps them all. */
  revisionRetentionMicros?: number;
}

export const RETENTION_OPTIONS = Symbol('RETENTION_OPTIONS');

export const DEFAULT_RETENTION_OPTIONS: RetentionOptions = {
  batchSize: DEFAULT_PURGE_BATCH_SIZE,
  dependentTables: EVENT_DEPENDENT_TABLES,
  revisionRetentionMicros: 0,
};
