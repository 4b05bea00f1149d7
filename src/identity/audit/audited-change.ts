import type { EntityManager } from 'typeorm';
import type { ModelEntity } from '@app/common';
import type { ModelState } from '../../events';
import type { AuditOrigin, ModelAudit } from './model-audit';

/** One update of a user, token or role, as `auditedUpdate` runs it. */
export interface AuditedUpdate<T extends ModelEntity> {
  /** The model's state before the change; read in the transaction when it needs the database. */
  before(m: EntityManager): ModelState | Promise<ModelState>;
  /** Writes the change in `m`'s transaction; resolves to the model as it now is. */
  apply(m: EntityManager): Promise<T>;
  /** The model's state after the change, compared field by field with `before`. */
  after(updated: T): ModelState;
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
  return updated;
}
