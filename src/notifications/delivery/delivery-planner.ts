import { Injectable, Logger } from '@nestjs/common';
import { nowMicros } from '@app/common';
import { OutboxEntry, OutboxSql, toOutboxEntry } from '../../events';
import type { SqlCondition } from '../../database/sql';
import { DeliveryInputs, RulesSnapshot } from '../rules/delivery-inputs';
import type { PlannedDelivery } from '../rules/delivery-plan';
import { DeliverySql } from './delivery-sql';
import { QueueTransactions } from './queue-transactions';

/** Outbox entries per claim: small, so a claim's locks are short and instances share the work. */
export const PLAN_BATCH = 100;
/** Rows per multi-row INSERT of planned deliveries. */
const INSERT_CHUNK = 200;

type OutboxRow = Parameters<typeof toOutboxEntry>[0];

/**
 * Turns saved events into deliveries, off the request path: claims a batch of `event_outbox`
 * entries, runs the rules for each (`DeliveryInputs` + `planDeliveries`), and in the claim's
 * transaction inserts one `notification_deliveries` row per planned delivery (skipping ones that
 * exist: same idempotency key) and deletes the entries. A crash before the commit leaves the
 * entries for the next claim; one after it has every delivery stored. Either way nothing is lost
 * and nothing is planned twice.
 */
@Injectable()
export class DeliveryPlanner {
  private readonly logger = new Logger(DeliveryPlanner.name);

  constructor(
    private readonly inputs: DeliveryInputs,
    private readonly queue: QueueTransactions,
    private readonly outbox: OutboxSql,
    private readonly sql: DeliverySql,
  ) {}

  /** Plans one batch; how many outbox entries it handled (0: the outbox was empty, or its head is failing). */
  planBatch(limit = PLAN_BATCH): Promise<{ entries: number; deliveries: number }> {
    return this.queue.claim<OutboxRow, { entries: number; deliveries: number }>(this.outbox.claim(limit), async (rows) => {
      const entries = rows.map(toOutboxEntry);
      // The rules as they are now, for the whole batch (authentik also reads them when the task runs, not at the save).
      const rules = entries.length > 0 ? await this.inputs.loadRules() : undefined;
      const { handled, planned } = await this.planAll(entries, rules).catch(() => this.planEach(entries, rules));
      const now = nowMicros();
      const statements: SqlCondition[] = [];
      for (let i = 0; i < planned.length; i += INSERT_CHUNK)
        statements.push(this.sql.insertPlanned(planned.slice(i, i + INSERT_CHUNK), now));
      if (handled.length > 0) statements.push(this.outbox.delete(handled));
      return { statements, result: { entries: handled.length, deliveries: planned.length } };
    });
  }

  /** The batch's deliveries, its events read together. */
  private async planAll(entries: OutboxEntry[], rules: RulesSnapshot | undefined): Promise<BatchPlan> {
    const plans = await this.inputs.planMany(entries, rules);
    return { handled: entries.map((entry) => entry.id), planned: plans.flatMap((plan) => plan.deliveries) };
  }

  /**
   * When the batch failed as a whole: one entry at a time, so that one that keeps failing stays
   * in the outbox for the next claim (a database hiccup passes) and the others go on.
   */
  private async planEach(entries: OutboxEntry[], rules: RulesSnapshot | undefined): Promise<BatchPlan> {
    const batch: BatchPlan = { handled: [], planned: [] };
    for (const entry of entries) {
      try {
        batch.planned.push(...(await this.inputs.plan(entry.eventUuid, entry.revision, rules)).deliveries);
        batch.handled.push(entry.id);
      } catch (error) {
        this.logger.error(`planning the deliveries of event ${entry.eventUuid} failed: ${(error as Error).message}`);
      }
    }
    return batch;
  }
}

/** Outbox entries planned (to delete) and the deliveries planned for them. */
interface BatchPlan {
  handled: number[];
  planned: PlannedDelivery[];
}
