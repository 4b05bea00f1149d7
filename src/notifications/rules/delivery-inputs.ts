import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { nowMicros } from '@app/common';
import { EventsService } from '../../events';
import { GroupMember } from '../../identity/entities/group-member.entity';
import { PolicyBinding } from '../../policies/entities/policy-binding.entity';
import { PolicyEvaluator, toEngineBinding } from '../../policies/policy-evaluator';
import { NotificationRuleTransport } from '../entities/notification-rule-transport.entity';
import { NotificationRule } from '../entities/notification-rule.entity';
import type { EngineUser } from '../../policies/engine/policy-engine';
import { DeliveryPlan, PlanEvent, PlanInput, PlanRule, planDeliveries } from './delivery-plan';

/** The rules side of a plan's input, the same for every event planned at one time. */
export type RulesSnapshot = Pick<PlanInput, 'rules' | 'policiesBoundToRules'> & {
  /** Some rule is bound to a group or a user: only then does the policy user matter (and is read). */
  needsPolicyUser: boolean;
};

/** One saved revision of one event to plan for (an outbox entry). */
export interface SavedRevision {
  eventUuid: string;
  revision: string;
}

/**
 * Reads, for saved events, everything `planDeliveries` decides from: each event (only while it is
 * not expired, as authentik's default manager), every rule with its bindings, transports and
 * destination group's direct members, the policies bound to rules (loop guard) and the policy
 * user. Read-only; the delivery pipeline calls it off the request path, a batch at a time, with
 * the revision it was told to deliver (the event's revision hash, which the outbox row records).
 * A batch's events are one read and each distinct policy user one, so planning costs a few
 * statements per batch, not per event: it shares the machine with the writes it follows.
 */
@Injectable()
export class DeliveryInputs {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly policies: PolicyEvaluator,
  ) {}

  /** Each saved revision's input, in order; null where the event does not exist (anymore) or has expired. */
  async loadMany(saved: readonly SavedRevision[], rules?: RulesSnapshot): Promise<(PlanInput | null)[]> {
    const snapshot = rules ?? (await this.loadRules());
    const records = await this.events.findVisibleMany([...new Set(saved.map((entry) => entry.eventUuid))]);
    const policyUsers = new Map<unknown, Promise<EngineUser | null>>();
    const policyUserOf = (event: PlanEvent) => {
      const pk = (event.user as { pk?: unknown } | null)?.pk;
      if (!policyUsers.has(pk)) policyUsers.set(pk, this.policies.policyUser(event));
      return policyUsers.get(pk)!;
    };
    const now = nowMicros();
    return Promise.all(
      saved.map(async ({ eventUuid, revision }) => {
        const record = records.get(eventUuid);
        if (!record) return null;
        const event: PlanEvent = {
          eventUuid: record.uuid,
          action: record.action,
          app: record.app,
          clientIp: record.client_ip,
          user: record.user,
          brand: record.brand,
          context: record.context,
          created: record.created,
          expires: record.expires,
        };
        return {
          event,
          revision,
          now,
          rules: snapshot.rules,
          policiesBoundToRules: snapshot.policiesBoundToRules,
          policyUser: snapshot.needsPolicyUser ? await policyUserOf(event) : null,
        };
      }),
    );
  }

  /**
   * Every rule with its bindings, transports and group members, and the loop guard's policies:
   * what planning depends on besides the event. The planner reads it once per batch of events.
   */
  async loadRules(): Promise<RulesSnapshot> {
    const m = this.dataSource.manager;
    const rules = await m.find(NotificationRule, { order: { name: 'ASC' } });
    const ruleUuids = rules.map((rule) => rule.pbmUuid);
    const groupUuids = [...new Set(rules.map((rule) => rule.destinationGroupUuid).filter((uuid): uuid is string => uuid !== null))];
    const [bindings, links, members] = await Promise.all([
      ruleUuids.length ? m.find(PolicyBinding, { where: { targetUuid: In(ruleUuids) }, relations: { policy: true } }) : [],
      ruleUuids.length
        ? m.find(NotificationRuleTransport, {
            where: { ruleUuid: In(ruleUuids) },
            relations: { transport: true },
            order: { position: 'ASC' },
          })
        : [],
      groupUuids.length ? m.find(GroupMember, { where: { groupUuid: In(groupUuids) }, order: { userId: 'ASC' } }) : [],
    ]);
    const planRules: PlanRule[] = rules.map((rule) => ({
      pk: rule.pbmUuid,
      severity: rule.severity,
      destinationEventUser: rule.destinationEventUser,
      transports: links
        .filter((link) => link.ruleUuid === rule.pbmUuid && link.transport)
        .map(({ transport }) => ({ pk: transport!.uuid, mode: transport!.mode, sendOnce: transport!.sendOnce })),
      groupMembers: members.filter((member) => member.groupUuid === rule.destinationGroupUuid).map((member) => member.userId),
      bindings: bindings.filter((binding) => binding.targetUuid === rule.pbmUuid).map(toEngineBinding),
    }));
    return {
      rules: planRules,
      needsPolicyUser: planRules.some((rule) => rule.bindings.some((binding) => binding.userId !== null || binding.groupUuid !== null)),
      policiesBoundToRules: new Set(bindings.map((binding) => binding.policyUuid).filter((uuid): uuid is string => uuid !== null)),
    };
  }

  /** The deliveries for each saved revision, in order; nothing for an event gone or expired. */
  async planMany(saved: readonly SavedRevision[], rules?: RulesSnapshot): Promise<DeliveryPlan[]> {
    const inputs = await this.loadMany(saved, rules);
    return inputs.map((input) => (input ? planDeliveries(input) : { skipped: 'expired', deliveries: [] }));
  }

  /** The deliveries for one revision of one event. */
  async plan(eventUuid: string, revision: string, rules?: RulesSnapshot): Promise<DeliveryPlan> {
    return (await this.planMany([{ eventUuid, revision }], rules))[0];
  }
}
