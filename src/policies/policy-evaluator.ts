import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { QueryableEvent } from '../events';
import { GroupMember } from '../identity/entities/group-member.entity';
import { User } from '../identity/entities/user.entity';
import { withAncestors } from '../identity/groups/group-hierarchy';
import { PolicyBinding } from './entities/policy-binding.entity';
import { EngineBinding, EngineUser, evaluateBindings } from './engine/policy-engine';
import type { PolicyResult } from './engine/event-matcher';

/**
 * Runs a target's bindings for an event, as authentik's `event_trigger_handler` does for a rule:
 * the policy user is the user the event names (`user.pk`) if that user exists, else anonymous.
 * Reads the database; the decision itself is the pure `evaluateBindings`.
 */
@Injectable()
export class PolicyEvaluator {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async evaluate(targetUuid: string, event: QueryableEvent): Promise<PolicyResult> {
    const m = this.dataSource.manager;
    const rows = await m.find(PolicyBinding, { where: { targetUuid, enabled: true }, relations: { policy: true } });
    return evaluateBindings(rows.map(toEngineBinding), { event, user: await this.policyUser(event) });
  }

  /** The user policies run for: the event's user (`user.pk`) with all their groups, or null (anonymous). */
  async policyUser(event: QueryableEvent): Promise<EngineUser | null> {
    const pk = (event.user as { pk?: unknown } | null)?.pk;
    if (typeof pk !== 'number' || !(await this.dataSource.manager.count(User, { where: { id: pk } }))) return null;
    const direct = (await this.dataSource.manager.find(GroupMember, { where: { userId: pk } })).map((member) => member.groupUuid);
    return { pk, groupUuids: await withAncestors(this.dataSource.manager, direct) };
  }
}

/** A stored binding (its policy loaded) as the pure engine takes it. */
export function toEngineBinding(binding: PolicyBinding): EngineBinding {
  return {
    enabled: binding.enabled,
    negate: binding.negate,
    order: binding.order,
    timeout: binding.timeout,
    failureResult: binding.failureResult,
    policy: binding.policy
      ? {
          action: binding.policy.action,
          clientIp: binding.policy.clientIp,
          app: binding.policy.app,
          model: binding.policy.model,
          query: binding.policy.query,
        }
      : null,
    groupUuid: binding.groupUuid,
    userId: binding.userId,
  };
}
