import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Not } from 'typeorm';
import {
  applyOrdering,
  applySearch,
  booleanParam,
  fetchPage,
  FieldErrorCollector,
  ListQuery,
  noMatch,
  nowMicros,
  Paginated,
  parseDateTime,
  textParam,
  translateUniqueViolation,
  UUID_PATTERN,
} from '@app/common';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { AuditOrigin, ModelAudit } from '../../identity/audit/model-audit';
import { EventMatcherPolicy } from '../entities/event-matcher-policy.entity';
import { PolicyBinding } from '../entities/policy-binding.entity';
import { EventMatcherPolicyRequest, EventMatcherPolicyResponse, PatchedEventMatcherPolicyRequest } from './event-matcher.dto';

const NAME_TAKEN = 'Policy with this name already exists.';
const CRITERIA = ['action', 'client_ip', 'app', 'model', 'query'] as const;
const COLUMNS = { action: 'action', client_ip: 'clientIp', app: 'app', model: 'model', query: 'query' } as const;

/**
 * Event-matcher policies (`/api/v3/policies/event_matcher/`). A criterion left out of a body is
 * null on create and unchanged on update; authentik answers 500 to a body without `action`
 * (its `validate()` reads the key unguarded), which is not copied. A policy with every
 * criterion null matches every event, as in authentik.
 */
@Injectable()
export class EventMatcherService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: ModelAudit,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async list(query: ListQuery): Promise<Paginated<EventMatcherPolicyResponse>> {
    const qb = this.dataSource.getRepository(EventMatcherPolicy).createQueryBuilder('policy');
    const errors = new FieldErrorCollector();
    for (const [param, column] of [
      ['name', 'name'],
      ['client_ip', 'clientIp'],
      ['app', 'app'],
      ['model', 'model'],
      ['query', 'query'],
      ['action', 'action'],
    ]) {
      const value = textParam(query, param);
      if (value !== undefined) qb.andWhere(`policy.${column} = :${column}`, { [column]: value });
    }
    const uuid = textParam(query, 'policy_uuid');
    if (uuid !== undefined) {
      if (UUID_PATTERN.test(uuid.trim())) qb.andWhere('policy.policyUuid = :uuid', { uuid: uuid.trim().toLowerCase() });
      else errors.add('policy_uuid', 'Enter a valid UUID.');
    }
    for (const [param, column] of [
      ['created', 'created'],
      ['last_updated', 'lastUpdated'],
    ] as const) {
      const value = textParam(query, param);
      if (value === undefined) continue;
      const parsed = parseDateTime(value);
      if (parsed.ok) qb.andWhere(`policy.${column} = :${column}`, { [column]: parsed.micros });
      else errors.add(param, 'Enter a valid date/time.');
    }
    errors.throwIfAny();
    const logging = booleanParam(query, 'execution_logging');
    if (logging !== undefined) qb.andWhere('policy.executionLogging = :logging', { logging });
    applySearch(qb, query, ['policy.name']);
    applyOrdering(
      qb,
      query,
      {
        pk: 'policy.policyUuid',
        name: 'policy.name',
        execution_logging: 'policy.executionLogging',
        action: 'policy.action',
        client_ip: 'policy.clientIp',
        app: 'policy.app',
        model: 'policy.model',
      },
      ['name'],
      'pk',
    );
    const { pagination, rows } = await fetchPage(qb, query, this.config.pagination);
    return { pagination, results: await this.present(rows), autocomplete: {} };
  }

  async retrieve(uuid: string): Promise<EventMatcherPolicyResponse> {
    return (await this.present([await this.findByUuid(uuid)]))[0];
  }

  async createFromRequest(body: EventMatcherPolicyRequest, origin?: AuditOrigin): Promise<EventMatcherPolicyResponse> {
    await this.checkNameFree(body.name, null);
    const now = nowMicros();
    const policy = this.dataSource.manager.create(EventMatcherPolicy, {
      policyUuid: randomUUID(),
      name: body.name,
      executionLogging: body.execution_logging ?? false,
      created: now,
      lastUpdated: now,
      action: null,
      clientIp: null,
      app: null,
      model: null,
      query: null,
      ...criteria(body),
    });
    await this.dataSource.transaction(async (m) => {
      await translateUniqueViolation(() => m.insert(EventMatcherPolicy, policy), 'name', NAME_TAKEN);
      await this.audit.created(policy, origin, m);
    });
    return (await this.present([policy]))[0];
  }

  async updateFromRequest(
    uuid: string,
    body: EventMatcherPolicyRequest | PatchedEventMatcherPolicyRequest,
    origin?: AuditOrigin,
  ): Promise<EventMatcherPolicyResponse> {
    const policy = await this.findByUuid(uuid);
    if (body.name !== undefined) await this.checkNameFree(body.name, policy);
    const changes: Partial<EventMatcherPolicy> = { ...criteria(body), lastUpdated: nowMicros() };
    if (body.name !== undefined) changes.name = body.name;
    if (body.execution_logging !== undefined) changes.executionLogging = body.execution_logging;
    const updated = this.dataSource.manager.create(EventMatcherPolicy, { ...policy, ...changes });
    await this.dataSource.transaction(async (m) => {
      await translateUniqueViolation(() => m.update(EventMatcherPolicy, { policyUuid: uuid }, changes), 'name', NAME_TAKEN);
      await this.audit.updated(updated, await this.audit.diff(state(policy), state(updated)), origin, m);
    });
    return (await this.present([updated]))[0];
  }

  /** Its bindings go with it (ON DELETE CASCADE), as Django cascades them in authentik. */
  async destroy(uuid: string, origin?: AuditOrigin): Promise<void> {
    const policy = await this.findByUuid(uuid);
    await this.dataSource.transaction(async (m) => {
      await m.delete(EventMatcherPolicy, { policyUuid: uuid });
      await this.audit.deleted(policy, origin, m);
    });
  }

  /** `used_by/`: the targets it is bound to (`authentik_policies.policybindingmodel`, `cascade_many`). */
  async usedBy(uuid: string) {
    await this.findByUuid(uuid);
    const bindings = await this.dataSource
      .getRepository(PolicyBinding)
      .find({ where: { policyUuid: uuid }, relations: { target: true }, order: { order: 'ASC' } });
    return bindings.map((binding) => ({
      app: 'authentik_policies',
      model_name: 'policybindingmodel',
      pk: binding.targetUuid,
      name: `PolicyBindingModel ${binding.targetUuid}`,
      action: 'cascade_many' as const,
    }));
  }

  async findByUuid(uuid: string, m: EntityManager = this.dataSource.manager): Promise<EventMatcherPolicy> {
    const policy = await m.findOne(EventMatcherPolicy, { where: { policyUuid: uuid } });
    if (!policy) throw noMatch('EventMatcherPolicy');
    return policy;
  }

  private async checkNameFree(name: string, existing: EventMatcherPolicy | null): Promise<void> {
    const where = existing ? { name, policyUuid: Not(existing.policyUuid) } : { name };
    if (!(await this.dataSource.getRepository(EventMatcherPolicy).count({ where }))) return;
    const errors = new FieldErrorCollector();
    errors.add('name', NAME_TAKEN);
    errors.throwIfAny();
  }

  async present(policies: EventMatcherPolicy[]): Promise<EventMatcherPolicyResponse[]> {
    const counts = new Map<string, number>();
    if (policies.length) {
      const rows = await this.dataSource
        .getRepository(PolicyBinding)
        .createQueryBuilder('binding')
        .select('binding.policyUuid', 'policy')
        .addSelect('COUNT(*)', 'n')
        .where('binding.policyUuid IN (:...uuids)', { uuids: policies.map((p) => p.policyUuid) })
        .groupBy('binding.policyUuid')
        .getRawMany<{ policy: string; n: string | number }>();
      for (const row of rows) counts.set(row.policy, Number(row.n));
    }
    return policies.map((policy) => presentPolicy(policy, counts.get(policy.policyUuid) ?? 0));
  }
}

/** authentik's `EventMatcherPolicySerializer` output; `bound_to` counts the policy's bindings. */
export function presentPolicy(policy: EventMatcherPolicy, boundTo: number): EventMatcherPolicyResponse {
  return {
    pk: policy.policyUuid,
    name: policy.name,
    execution_logging: policy.executionLogging,
    component: 'ak-policy-event-matcher-form',
    verbose_name: 'Event Matcher Policy',
    verbose_name_plural: 'Event Matcher Policies',
    meta_model_name: 'authentik_policies_event_matcher.eventmatcherpolicy',
    bound_to: boundTo,
    action: policy.action,
    client_ip: policy.clientIp,
    app: policy.app,
    model: policy.model,
    query: policy.query,
  };
}

function criteria(body: EventMatcherPolicyRequest | PatchedEventMatcherPolicyRequest): Partial<EventMatcherPolicy> {
  const changes: Record<string, unknown> = {};
  for (const key of CRITERIA) if (body[key] !== undefined) changes[COLUMNS[key]] = body[key];
  return changes as Partial<EventMatcherPolicy>;
}

function state(policy: EventMatcherPolicy) {
  return {
    name: policy.name,
    execution_logging: policy.executionLogging,
    action: policy.action,
    client_ip: policy.clientIp,
    app: policy.app,
    model: policy.model,
    query: policy.query,
  };
}
