/**
 * What a purge run reports: read by PurgeService's callers and by the metrics, which import this
 * file rather than the service (so neither depends on the other both ways).
 */

/** `interrupted`: the application began shutting down; the next run deletes the rest. */
export interface PurgeDone {
  status: 'completed' | 'interrupted';
  /** Events purged (each now ends its history with a `purge` revision). */
  deleted: number;
  batches: number;
  /** Revisions deleted because REVISION_RETENTION passed since they were recorded. */
  revisionsDeleted: number;
}

export interface PurgeSkipped {
  status: 'skipped';
  reason: 'running in this process' | 'running on another instance';
}

export type PurgeResult = PurgeDone | PurgeSkipped;
