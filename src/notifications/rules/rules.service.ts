import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, Not } from 'typeorm';
import type { Principal } from '@app/auth';
import {
  fetchPage,
  FieldErrorCollector,
  ListQuery,
  noMatch,
  Paginated,
  pkDoesNotExist,
  toUuidPk,
  translateUniqueViolation,
  type UsedByResponse,
} from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { AuditOrigin, ModelAudit } from '../../identity/audit/model-audit';
import { Group } from '../../identity/entities/group.entity';
import { GroupExpansions, GroupPresenter } from '../../identity/groups/group-presenter';
import { PolicyBinding } from '../../policies/entities/policy-binding.entity';
import { PolicyTargets } from '../../policies/policy-targets';
import { NotificationRuleTransport } from '../entities/notification-rule-transport.entity';
import { NotificationRule } from '../entities/notification-rule.entity';
import { NotificationTransport } from '../entities/notification-transport.entity';
import { NotificationRuleRequest, PatchedNotificationRuleRequest } from './dto/rule-request.dto';
import { NotificationRuleResponse } from './dto/rule.dto';
import { ruleReferences } from './rule-references';
import { ruleListQuery } from './rules.query';

const NAME_TAKEN = 'Notification Rule with this name already exists.';
/** What a rule is in the binding-target registry (`policy_binding_models.kind`). */
export const RULE_TARGET_KIND = 'authentik_events.notificationrule';

type RuleChanges = Partial<Pick<NotificationRule, 'name' | 'severity' | 'destinationGroupUuid' | 'destinationEventUser'>>;
interface ValidatedRule {
  changes: RuleChanges;
  /** The new transports in order, or undefined to keep them. */
  transportUuids?: string[];
}

/**
 * Notification rules (`/api/v3/events/rules/`). A rule is a policy-binding target: creating one
 * registers its uuid with `PolicyTargets` in the same transaction, and deleting it unregisters
 * it, which deletes the rule row, its transport links and its bindings by cascade.
 */
@Injectable()
export class RulesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    private readonly targets: PolicyTargets,
    private readonly groups: GroupPresenter,
    private readonly audit: ModelAudit,
  ) {}

  async list(query: ListQuery, expand: GroupExpansions): Promise<Paginated<NotificationRuleResponse>> {
    const { pagination, rows } = await fetchPage(ruleListQuery(this.dataSource, query), query, this.config.pagination);
    return { pagination, results: await this.present(rows, expand), autocomplete: {} };
  }

  async retrieve(uuid: string, expand: GroupExpansions): Promise<NotificationRuleResponse> {
    return (await this.present([await this.findByUuid(uuid)], expand))[0];
  }

  async create(body: NotificationRuleRequest, origin: AuditOrigin): Promise<NotificationRuleResponse> {
    const { changes, transportUuids } = await this.validated(body, null);
    const rule = this.dataSource.manager.create(NotificationRule, {
      pbmUuid: randomUUID(),
      severity: 'notice',
      destinationGroupUuid: null,
      destinationEventUser: false,
      ...changes,
    });
    await this.dataSource.transaction(async (m) => {
      await this.targets.register(rule.pbmUuid, RULE_TARGET_KIND, m);
      const { pbmUuid, name, severity, destinationGroupUuid, destinationEventUser } = rule;
      const row = { pbmUuid, name, severity, destinationGroupUuid, destinationEventUser };
      await translateUniqueViolation(() => m.insert(NotificationRule, row), 'name', NAME_TAKEN);
      await this.linkTransports(m, rule.pbmUuid, transportUuids ?? []);
      await this.audit.created(rule, origin, m);
    });
    return (await this.present([rule]))[0];
  }

  /** PUT (`name` required by the DTO) and PATCH alike: only the given fields change, as in DRF. */
  async update(uuid: string, body: NotificationRuleRequest | PatchedNotificationRuleRequest, origin: AuditOrigin) {
    const before = await this.findByUuid(uuid);
    const { changes, transportUuids } = await this.validated(body, before);
    const after = this.dataSource.manager.create(NotificationRule, { ...before, ...changes });
    await this.dataSource.transaction(async (m) => {
      if (Object.keys(changes).length) {
        await translateUniqueViolation(() => m.update(NotificationRule, { pbmUuid: uuid }, changes), 'name', NAME_TAKEN);
      }
      if (transportUuids) {
        await m.delete(NotificationRuleTransport, { ruleUuid: uuid });
        await this.linkTransports(m, uuid, transportUuids);
      }
      await this.audit.updated(after, await this.audit.diff(state(before), state(after)), origin, m);
    });
    return (await this.present([after]))[0];
  }

  async destroy(uuid: string, origin: AuditOrigin): Promise<void> {
    const rule = await this.findByUuid(uuid);
    await this.dataSource.transaction(async (m) => {
      // Django's cascade sends a post_delete for each binding, so authentik records their deletion too.
      const bindings = await m.find(PolicyBinding, { where: { targetUuid: uuid } });
      await this.targets.unregister(uuid, m);
      for (const binding of bindings) await this.audit.deleted(binding, origin, m);
      await this.audit.deleted(rule, origin, m);
    });
  }

  async usedBy(principal: Principal, uuid: string): Promise<UsedByResponse[]> {
    const rule = await this.findByUuid(uuid);
    return ruleReferences(this.dataSource.manager, principal, rule);
  }

  async findByUuid(uuid: string): Promise<NotificationRule> {
    const rule = await this.dataSource.getRepository(NotificationRule).findOne({ where: { pbmUuid: uuid } });
    if (!rule) throw noMatch('NotificationRule');
    return rule;
  }

  private async linkTransports(m: EntityManager, ruleUuid: string, transportUuids: string[]): Promise<void> {
    if (transportUuids.length === 0) return;
    await m.insert(
      NotificationRuleTransport,
      transportUuids.map((transportUuid, position) => ({ ruleUuid, transportUuid, position })),
    );
  }

  /** NotificationRuleSerializer's field checks: unique name, existing transports and group. */
  private async validated(
    body: NotificationRuleRequest | PatchedNotificationRuleRequest,
    existing: NotificationRule | null,
  ): Promise<ValidatedRule> {
    const errors = new FieldErrorCollector();
    const m = this.dataSource.manager;
    if (body.name !== undefined) {
      const where = existing ? { name: body.name, pbmUuid: Not(existing.pbmUuid) } : { name: body.name };
      if (await m.count(NotificationRule, { where })) errors.add('name', NAME_TAKEN);
    }
    let transportUuids: string[] | undefined;
    if (body.transports !== undefined) {
      const uuids = body.transports.map(toUuidPk);
      const wanted = uuids.filter((uuid): uuid is string => uuid !== null);
      const found = new Set(
        (wanted.length ? await m.find(NotificationTransport, { where: { uuid: In(wanted) } }) : []).map((transport) => transport.uuid),
      );
      const missing = uuids.findIndex((uuid) => uuid === null || !found.has(uuid));
      if (missing !== -1) errors.add('transports', pkDoesNotExist(body.transports[missing]));
      // A many-to-many holds each transport once; the first mention sets its place.
      transportUuids = [...new Set(wanted)];
    }
    const changes: RuleChanges = {};
    if (body.destination_group !== undefined) {
      if (body.destination_group === null) changes.destinationGroupUuid = null;
      else {
        const uuid = toUuidPk(body.destination_group);
        if (uuid === null || !(await m.count(Group, { where: { groupUuid: uuid } }))) {
          errors.add('destination_group', pkDoesNotExist(body.destination_group));
        } else changes.destinationGroupUuid = uuid;
      }
    }
    errors.throwIfAny();
    if (body.name !== undefined) changes.name = body.name;
    if (body.severity !== undefined) changes.severity = body.severity;
    if (body.destination_event_user !== undefined) changes.destinationEventUser = body.destination_event_user;
    return { changes, transportUuids };
  }

  /** authentik's NotificationRuleSerializer; `destination_group_obj` is the full Group, shaped by the request's `include_*`. */
  private async present(rules: NotificationRule[], expand?: GroupExpansions): Promise<NotificationRuleResponse[]> {
    if (rules.length === 0) return [];
    const m = this.dataSource.manager;
    const links = await m.find(NotificationRuleTransport, {
      where: { ruleUuid: In(rules.map((rule) => rule.pbmUuid)) },
      order: { position: 'ASC' },
    });
    const transports = new Map<string, string[]>();
    for (const link of links) transports.set(link.ruleUuid, [...(transports.get(link.ruleUuid) ?? []), link.transportUuid]);
    const groupUuids = [...new Set(rules.map((rule) => rule.destinationGroupUuid).filter((uuid): uuid is string => uuid !== null))];
    const groupRows = groupUuids.length ? await m.find(Group, { where: { groupUuid: In(groupUuids) } }) : [];
    const groups = new Map((await this.groups.present(groupRows, expand)).map((group) => [group.pk, group]));
    return rules.map((rule) => ({
      pk: rule.pbmUuid,
      name: rule.name,
      transports: transports.get(rule.pbmUuid) ?? [],
      severity: rule.severity,
      destination_group: rule.destinationGroupUuid,
      destination_group_obj: (rule.destinationGroupUuid && groups.get(rule.destinationGroupUuid)) || null,
      destination_event_user: rule.destinationEventUser,
    }));
  }
}

/** The rule's fields as authentik's model has them, for `model_updated` diffs. */
function state(rule: NotificationRule) {
  return {
    name: rule.name,
    severity: rule.severity,
    destination_group: rule.destinationGroupUuid,
    destination_event_user: rule.destinationEventUser,
  };
}
