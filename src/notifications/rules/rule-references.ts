import { EntityManager, In } from 'typeorm';
import { hasPermission, Permission, Principal } from '@app/auth';
import type { UsedByResponse } from '@app/common';
import { PolicyBinding } from '../../policies/entities/policy-binding.entity';
import { NotificationRuleTransport } from '../entities/notification-rule-transport.entity';
import { NotificationRule } from '../entities/notification-rule.entity';

/*
 * The `used_by/` entries rules give and take (authentik's `UsedByMixin`): every relation manager
 * of the object, in the order of the managers' attribute names, each listed only when the caller
 * may view that model. authentik checks `authentik_policies.view_policy` for bound policies;
 * eventlog's only policy type is the event matcher, so its view permission stands in.
 */

const ruleName = (rule: Pick<NotificationRule, 'name'>) => `Notification Rule ${rule.name}`;

/** A rule's own `used_by/`: its bindings (`cascade`), bound policies and transports (`cascade_many`). */
export async function ruleReferences(m: EntityManager, principal: Principal, rule: NotificationRule): Promise<UsedByResponse[]> {
  const used: UsedByResponse[] = [];
  const bindings = await m.find(PolicyBinding, {
    where: { targetUuid: rule.pbmUuid },
    relations: { policy: true, group: true, user: true },
    order: { order: 'ASC', policyBindingUuid: 'ASC' },
  });
  if (hasPermission(principal, Permission.viewPolicyBinding)) {
    for (const binding of bindings) {
      used.push({
        app: 'authentik_policies',
        model_name: 'policybinding',
        pk: binding.policyBindingUuid,
        name: `Binding from ${ruleName(rule)} #${binding.order} to ${bindingSubject(binding)}`,
        action: 'cascade',
      });
    }
  }
  if (hasPermission(principal, Permission.viewEventMatcherPolicy)) {
    for (const { policy } of bindings) {
      if (policy)
        used.push({ app: 'authentik_policies', model_name: 'policy', pk: policy.policyUuid, name: policy.name, action: 'cascade_many' });
    }
  }
  if (hasPermission(principal, Permission.viewNotificationTransport)) {
    const links = await m.find(NotificationRuleTransport, {
      where: { ruleUuid: rule.pbmUuid },
      relations: { transport: true },
      order: { position: 'ASC' },
    });
    for (const { transport } of links) {
      if (transport)
        used.push({
          app: 'authentik_events',
          model_name: 'notificationtransport',
          pk: transport.uuid,
          name: transport.name,
          action: 'cascade_many',
        });
    }
  }
  return used;
}

/** authentik's `PolicyBinding.__str__` suffix: `Policy <name>`, `Group <name>` or `User <display name>`. */
function bindingSubject(binding: PolicyBinding): string {
  if (binding.policy) return `Policy ${binding.policy.name}`;
  if (binding.group) return `Group ${binding.group.name}`;
  if (binding.user) return `User ${binding.user.name}`;
  return 'Invalid invalid';
}

/** A transport's rules (`notificationrule_set`, `cascade_many`: deleting the transport only unlinks them). */
export async function rulesUsingTransport(m: EntityManager, principal: Principal, transportUuid: string): Promise<UsedByResponse[]> {
  if (!hasPermission(principal, Permission.viewNotificationRule)) return [];
  const rules = await m
    .getRepository(NotificationRule)
    .createQueryBuilder('rule')
    .innerJoin(NotificationRuleTransport, 'link', 'link.ruleUuid = rule.pbmUuid')
    .where('link.transportUuid = :transportUuid', { transportUuid })
    .orderBy('rule.name', 'ASC')
    .getMany();
  return rules.map((rule) => ({
    app: 'authentik_events',
    model_name: 'notificationrule',
    pk: rule.pbmUuid,
    name: ruleName(rule),
    action: 'cascade_many' as const,
  }));
}

/** A group's rules (`notificationrule_set`, `set_null`: deleting the group leaves them without a destination). */
export async function rulesUsingGroup(m: EntityManager, principal: Principal, groupUuid: string): Promise<UsedByResponse[]> {
  if (!hasPermission(principal, Permission.viewNotificationRule)) return [];
  const rules = await m.find(NotificationRule, { where: { destinationGroupUuid: groupUuid }, order: { name: 'ASC' } });
  return rules.map((rule) => ({
    app: 'authentik_events',
    model_name: 'notificationrule',
    pk: rule.pbmUuid,
    name: ruleName(rule),
    action: 'set_null' as const,
  }));
}

/**
 * The bindings that bind a group (`policybinding_set`, `cascade`). Bindings here only ever target
 * rules, so this module, which knows rule names, answers for them.
 */
export async function bindingsOfGroup(m: EntityManager, principal: Principal, groupUuid: string): Promise<UsedByResponse[]> {
  if (!hasPermission(principal, Permission.viewPolicyBinding)) return [];
  const bindings = await m.find(PolicyBinding, { where: { groupUuid }, relations: { group: true }, order: { policyBindingUuid: 'ASC' } });
  if (bindings.length === 0) return [];
  const rules = new Map(
    (await m.find(NotificationRule, { where: { pbmUuid: In([...new Set(bindings.map((b) => b.targetUuid))]) } })).map((rule) => [
      rule.pbmUuid,
      rule,
    ]),
  );
  return bindings.map((binding) => {
    const rule = rules.get(binding.targetUuid);
    const subject = bindingSubject(binding);
    return {
      app: 'authentik_policies',
      model_name: 'policybinding',
      pk: binding.policyBindingUuid,
      name: rule ? `Binding from ${ruleName(rule)} #${binding.order} to ${subject}` : `Binding - #${binding.order} to ${subject}`,
      action: 'cascade' as const,
    };
  });
}
