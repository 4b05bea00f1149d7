import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  applyOrdering,
  applySearch,
  booleanParam,
  fetchPage,
  FieldErrorCollector,
  formatMicros,
  listParam,
  ListQuery,
  noMatch,
  Paginated,
  pkDoesNotExist,
  textParam,
  toIntegerPk,
  toUuidPk,
  UUID_PATTERN,
} from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { AuditOrigin, ModelAudit } from '../../identity/audit/model-audit';
import { Group } from '../../identity/entities/group.entity';
import { User } from '../../identity/entities/user.entity';
import { partialGroup } from '../../identity/groups/group-json';
import { UserIdentity } from '../../identity/users/user-identity';
import { EventMatcherPolicy } from '../entities/event-matcher-policy.entity';
import { PolicyBindingModel } from '../entities/policy-binding-model.entity';
import { PolicyBinding } from '../entities/policy-binding.entity';
import { EventMatcherService } from '../event-matcher/event-matcher.service';
import { PatchedPolicyBindingRequest, PolicyBindingRequest, PolicyBindingResponse } from './policy-binding.dto';

const ONLY_ONE = "Only one of 'group', 'policy', 'user' can be set.";
const ONE_NEEDED = "One of 'group', 'policy', 'user' must be set.";
const NOT_UNIQUE = 'The fields policy, target, order must make a unique set.';

type BindingFields = Pick<
  PolicyBinding,
  'policyUuid' | 'groupUuid' | 'userId' | 'targetUuid' | 'negate' | 'enabled' | 'order' | 'timeout' | 'failureResult'
>;

/**
 * Policy bindings (`/api/v3/policies/bindings/`). A binding names exactly one of a policy, a
 * group or a user (authentik's messages), and a target registered through `PolicyTargets`.
 * A PATCH without `target` keeps the binding's own (authentik answers 500 there; not copied).
 */
@Injectable()
export class PolicyBindingsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: ModelAudit,
    private readonly policies: EventMatcherService,
    private readonly identity: UserIdentity,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async list(query: ListQuery): Promise<Paginated<PolicyBindingResponse>> {
    const qb = this.dataSource.getRepository(PolicyBinding).createQueryBuilder('binding').leftJoin('binding.policy', 'policy');
    const errors = new FieldErrorCollector();
    for (const [param, column] of [
      ['policy', 'policyUuid'],
      ['target', 'targetUuid'],
    ] as const) {
      const value = textParam(query, param);
      if (value === undefined) continue;
      if (UUID_PATTERN.test(value.trim())) qb.andWhere(`binding.${column} = :${param}`, { [param]: toUuidPk(value) });
      else errors.add(param, `“${value}” is not a valid UUID.`);
    }
    const targets = listParam(query, 'target_in');
    const badTarget = targets.find((value) => !UUID_PATTERN.test(value.trim()));
    if (badTarget !== undefined) errors.add('target_in', `“${badTarget}” is not a valid UUID.`);
    else if (targets.length) qb.andWhere('binding.targetUuid IN (:...targets)', { targets: targets.map(toUuidPk) });
    for (const [param, column] of [
      ['order', 'order'],
      ['timeout', 'timeout'],
    ] as const) {
      const value = textParam(query, param);
      if (value === undefined) continue;
      if (/^\s*-?\d{1,10}\s*$/.test(value)) qb.andWhere(`binding.${column} = :${param}`, { [param]: Number.parseInt(value, 10) });
      else errors.add(param, 'Enter a number.');
    }
    errors.throwIfAny();
    const enabled = booleanParam(query, 'enabled');
    if (enabled !== undefined) qb.andWhere('binding.enabled = :enabled', { enabled });
    const policyIsNull = booleanParam(query, 'policy__isnull');
    if (policyIsNull !== undefined) qb.andWhere(`binding.policyUuid IS ${policyIsNull ? '' : 'NOT '}NULL`);
    applySearch(qb, query, ['policy.name']);
    applyOrdering(
      qb,
      query,
      { order: 'binding.order', target__uuid: 'binding.targetUuid', pk: 'binding.policyBindingUuid' },
      ['order', 'pk'],
      'pk',
    );
    const { pagination, rows } = await fetchPage(qb, query, this.config.pagination);
    return { pagination, results: await this.present(rows), autocomplete: {} };
  }

  async retrieve(uuid: string): Promise<PolicyBindingResponse> {
    return (await this.present([await this.findByUuid(uuid)]))[0];
  }

  async createFromRequest(body: PolicyBindingRequest, origin?: AuditOrigin): Promise<PolicyBindingResponse> {
    const fields = await this.validate(body, null);
    const binding = this.dataSource.manager.create(PolicyBinding, {
      policyBindingUuid: randomUUID(),
      expires: null,
      expiring: false,
      ...fields,
    });
    await this.dataSource.transaction(async (m) => {
      await m.insert(PolicyBinding, { ...fields, policyBindingUuid: binding.policyBindingUuid, expires: null, expiring: false });
      await this.audit.created(binding, origin, m);
    });
    return this.retrieve(binding.policyBindingUuid);
  }

  async updateFromRequest(
    uuid: string,
    body: PolicyBindingRequest | PatchedPolicyBindingRequest,
    origin?: AuditOrigin,
  ): Promise<PolicyBindingResponse> {
    const binding = await this.findByUuid(uuid);
    const fields = await this.validate(body, binding);
    const updated = this.dataSource.manager.create(PolicyBinding, { ...binding, ...fields });
    await this.dataSource.transaction(async (m) => {
      await m.update(PolicyBinding, { policyBindingUuid: uuid }, fields);
      await this.audit.updated(updated, await this.audit.diff(state(binding), state(updated)), origin, m);
    });
    return this.retrieve(uuid);
  }

  async destroy(uuid: string, origin?: AuditOrigin): Promise<void> {
    const binding = await this.findByUuid(uuid);
    await this.dataSource.transaction(async (m) => {
      await m.delete(PolicyBinding, { policyBindingUuid: uuid });
      await this.audit.deleted(binding, origin, m);
    });
  }

  async findByUuid(uuid: string, m: EntityManager = this.dataSource.manager): Promise<PolicyBinding> {
    const binding = await m.findOne(PolicyBinding, { where: { policyBindingUuid: uuid } });
    if (!binding) throw noMatch('PolicyBinding');
    return binding;
  }

  /** Field checks against the database, then authentik's `validate()`: exactly one kind, unique (policy, target, order). */
  private async validate(
    body: PolicyBindingRequest | PatchedPolicyBindingRequest,
    existing: PolicyBinding | null,
  ): Promise<Partial<BindingFields>> {
    const errors = new FieldErrorCollector();
    const m = this.dataSource.manager;
    const fields: Partial<BindingFields> = {};
    const related = async (
      field: 'policy' | 'group' | 'target',
      entity: typeof EventMatcherPolicy | typeof Group | typeof PolicyBindingModel,
      key: string,
      column: 'policyUuid' | 'groupUuid' | 'targetUuid',
    ) => {
      const value = body[field];
      if (value === undefined) return;
      if (value === null) return void (fields[column] = null as never);
      const uuid = toUuidPk(value);
      if (uuid === null || !(await m.getRepository<object>(entity).count({ where: { [key]: uuid } })))
        errors.add(field, pkDoesNotExist(value));
      else fields[column] = uuid;
    };
    await related('policy', EventMatcherPolicy, 'policyUuid', 'policyUuid');
    await related('group', Group, 'groupUuid', 'groupUuid');
    await related('target', PolicyBindingModel, 'pbmUuid', 'targetUuid');
    if (body.user !== undefined) {
      if (body.user === null) fields.userId = null;
      else if (!(await m.count(User, { where: { id: toIntegerPk(body.user) } }))) errors.add('user', pkDoesNotExist(body.user));
      else fields.userId = toIntegerPk(body.user);
    }
    if (body.negate !== undefined) fields.negate = body.negate;
    if (body.enabled !== undefined) fields.enabled = body.enabled;
    if (body.order !== undefined) fields.order = body.order;
    if (body.timeout !== undefined) fields.timeout = body.timeout;
    if (body.failure_result !== undefined) fields.failureResult = body.failure_result;
    errors.throwIfAny();

    const merged = { policyUuid: null, groupUuid: null, userId: null, ...(existing ?? {}), ...fields } as BindingFields;
    const kinds = [merged.groupUuid, merged.policyUuid, merged.userId].filter((value) => value !== null && value !== undefined).length;
    if (kinds > 1) errors.add('non_field_errors', ONLY_ONE);
    if (kinds === 0) errors.add('non_field_errors', ONE_NEEDED);
    errors.throwIfAny();
    if (merged.policyUuid) {
      const clash = await m.findOne(PolicyBinding, {
        where: { policyUuid: merged.policyUuid, targetUuid: merged.targetUuid, order: merged.order },
      });
      if (clash && clash.policyBindingUuid !== existing?.policyBindingUuid) errors.add('non_field_errors', NOT_UNIQUE);
    }
    errors.throwIfAny();
    return fields;
  }

  private async present(bindings: PolicyBinding[]): Promise<PolicyBindingResponse[]> {
    const m = this.dataSource.manager;
    const ids = <K extends 'policyUuid' | 'groupUuid' | 'userId'>(key: K) =>
      [...new Set(bindings.map((b) => b[key]).filter((v) => v !== null))] as NonNullable<PolicyBinding[K]>[];
    const policyIds = ids('policyUuid');
    const groupIds = ids('groupUuid');
    const userIds = ids('userId');
    const policies = new Map(
      (policyIds.length ? await this.policies.present(await m.find(EventMatcherPolicy, { where: { policyUuid: In(policyIds) } })) : []).map(
        (p) => [p.pk, p],
      ),
    );
    const groups = new Map(
      (groupIds.length ? await m.find(Group, { where: { groupUuid: In(groupIds) } }) : []).map((g) => [g.groupUuid, g]),
    );
    const users = new Map((userIds.length ? await m.find(User, { where: { id: In(userIds) } }) : []).map((u) => [u.id, u]));
    return bindings.map((binding) => {
      const group = binding.groupUuid ? groups.get(binding.groupUuid) : undefined;
      const user = binding.userId !== null ? users.get(binding.userId) : undefined;
      return {
        pk: binding.policyBindingUuid,
        policy: binding.policyUuid,
        group: binding.groupUuid,
        user: binding.userId,
        policy_obj: (binding.policyUuid && policies.get(binding.policyUuid)) || null,
        group_obj: group ? partialGroup(group) : null,
        user_obj: user
          ? {
              pk: user.id,
              username: user.username,
              name: user.name,
              is_active: user.isActive,
              last_login: formatMicros(user.lastLogin),
              email: user.email,
              attributes: user.attributes,
              uid: this.identity.uid(user.id),
            }
          : null,
        target: binding.targetUuid,
        negate: binding.negate,
        enabled: binding.enabled,
        order: binding.order,
        timeout: binding.timeout,
        failure_result: binding.failureResult,
        expires: formatMicros(binding.expires),
        expiring: binding.expiring,
      };
    });
  }
}

function state(binding: PolicyBinding) {
  return {
    enabled: binding.enabled,
    policy: binding.policyUuid,
    group: binding.groupUuid,
    user: binding.userId,
    target: binding.targetUuid,
    negate: binding.negate,
    timeout: binding.timeout,
    failure_result: binding.failureResult,
    order: binding.order,
  };
}
