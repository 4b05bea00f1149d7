import type { DataSource, EntityManager } from 'typeorm';
import type { ModelEntity } from '@app/common';
import type { ModelState } from '../../events';
import type { AuditOrigin, ModelAudit } from './model-audit';

/** One update of a user, group, token or role, as `auditedUpdate` runs it. */
export interface AuditedUpdate<T extends ModelEntity> {
  /** The model's state before the change; read in the transaction when it needs the database. */
  before(m: EntityManager): ModelState | Promise<ModelState>;
  /** Writes the change in `m`'s transaction; resolves to the model as it now is. */
  apply(m: EntityManager): Promise<T>;
  /** The model's state after the change, compared field by field with `before`. */
  after(updated: T): ModelState;
  /** Changes recorded as events of their own, after `model_updated` (a group's relations). */
  afterRecorded?(m: EntityManager, updated: T): Promise<void>;
}

/**
 * The sequence every update of an audited model goes through, in the caller's transaction `m`:
 * the state before, the change, then `model_updated` with the masked diff (recorded even when it
 * is empty, as authentik does for a save that changes nothing). The change and its event commit
 * or roll back together.
 */
export async function auditedUpdate<T extends ModelEntity>(
  audit: ModelAudit,
  change: AuditedUpdate<T>,
  m: EntityManager,
  origin?: AuditOrigin,
): Promise<T> {
  const before = await change.before(m);
  const updated = await change.apply(m);
  await audit.updated(updated, await audit.diff(before, change.after(updated)), origin, m);
  await change.afterRecorded?.(m, updated);
  return updated;
}

/** An update whose result is known before it runs, so its event can be computed ahead (`auditedUpdateAhead`). */
export interface PreviewedUpdate<T extends ModelEntity> extends AuditedUpdate<T> {
  /** The model as `apply` will leave it. */
  preview: T;
  /** In the transaction: whether `before`, read ahead of it, is still the stored state. */
  stillBefore(m: EntityManager, before: ModelState): Promise<boolean>;
}

/**
 * `auditedUpdate` for a database whose transactions may not pause (SQLite: every request shares
 * its one connection). A large model (a user or group with 70 000 `attributes` keys) makes the diff, its
 * masking and the event's revision take seconds of CPU, and inside the transaction they would hold
 * the event loop all that time. So the state before is read and the event computed first, in slices
 * that let other requests in; the transaction then checks that the state has not moved meanwhile,
 * applies the change and stores the event. Had it moved, the transaction runs `auditedUpdate`
 * itself, in one go: exact, only slower.
 */
export async function auditedUpdateAhead<T extends ModelEntity>(
  audit: ModelAudit,
  change: PreviewedUpdate<T>,
  dataSource: DataSource,
  origin?: AuditOrigin,
): Promise<T> {
  const before = await change.before(dataSource.manager);
  const event = await audit.prepareUpdated(change.preview, before, change.after(change.preview), origin);
  try {
    return await dataSource.transaction(async (m) => {
      if (!(await change.stillBefore(m, before))) return auditedUpdate(audit, change, m, origin);
      const updated = await change.apply(m);
      await event.record(m);
      await change.afterRecorded?.(m, updated);
      return updated;
    });
  } finally {
    event.discard();
  }
}
