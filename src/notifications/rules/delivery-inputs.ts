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
import { DeliveryPlan, PlanInput, PlanRule, planDeliveries } from './delivery-plan';

/** The rules side of a plan's input, the same for every event planned at one time. */
export type RulesSnapshot = Pick<PlanInput, 'rules' | 'policiesBoundToRules'>;

/**
 * Reads, for one event, everything `planDeliveries` decides from: the event (only while it is
 * not expired, as authentik's default manager), every rule with its bindings, transports and
 * destination group's direct members, the policies bound to rules (loop guard) and the policy
 * user. Read-only; the delivery pipeline calls it off the request path with the revision it was
 * told to deliver (the event's revision hash, which the outbox row records).
 */
@Injectable()
export class DeliveryInputs {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly events: EventsService,
    private readonly policies: PolicyEvaluator,
  ) {}

  /** null: the event does not exist (anymore) or has expired. `rules`: read once for several events (see `loadRules`). */
  async load(eventUuid: string, revision: string, rules?: RulesSnapshot): Promise<PlanInput | null> {
    const record = await this.events.findVisible(eventUuid);
    if (!record) return null;
    const event = {
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
    const { rules: planRules, policiesBoundToRules } = rules ?? (await this.loadRules());
    return {
      event,
      revision,
      now: nowMicros(),
      rules: planRules,
      policiesBoundToRules,
      policyUser: await this.policies.policyUser(event),
    };
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
      policiesBoundToRules: new Set(bindings.map((binding) => binding.policyUuid).filter((uuid): uuid is string => uuid !== null)),
    };
  }

  /** The deliveries for one revision of one event; nothing when the event is gone or expired. */
  async plan(eventUuid: string, revision: string, rules?: RulesSnapshot): Promise<DeliveryPlan> {
    const input = await this.load(eventUuid, revision, rules);
    return input ? planDeliveries(input) : { skipped: 'expired', deliveries: [] };
  }
}
