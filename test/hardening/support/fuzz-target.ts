import type { TestApp } from '../../support/test-app';
import { createUserWithToken } from '../../support/fixtures';
import type { Operation, Parameter } from './operations';

/**
 * Real objects for every path parameter the API knows, so that a bad body reaches the
 * serializer instead of stopping at a 404. Parameters added later get a well-formed id of an
 * object that does not exist (their operations then may answer 404 as well).
 */
export interface FuzzTargets {
  values: Record<string, string>;
  /** Whether every path parameter of `op` names an object that exists. */
  resolves(op: Operation): boolean;
  /** The path values for `op`: real objects where known, absent well-formed ids elsewhere. */
  pathValues(op: Operation): Record<string, string>;
}

export async function createFuzzTargets(t: TestApp): Promise<FuzzTargets> {
  const event = await t.admin.post('/api/v3/events/events/', { action: 'login', app: 'fuzz.fixture', context: { a: 1 } });
  const role = await t.admin.post('/api/v3/rbac/roles/', { name: 'fuzz-role' });
  const user = await createUserWithToken(t, { username: 'fuzz-user' });
  const member = await t.admin.post(`/api/v3/rbac/roles/${role.body.pk}/add_user/`, { pk: user.pk });
  const assigned = await t.admin.post(`/api/v3/rbac/permissions/assigned_by_roles/${role.body.pk}/assign/`, {
    permissions: ['authentik_events.view_event'],
  });
  const group = await t.admin.post('/api/v3/core/groups/', { name: 'fuzz-group' });
  const policy = await t.admin.post('/api/v3/policies/event_matcher/', { name: 'fuzz-policy', action: 'login' });
  const transport = await t.admin.post('/api/v3/events/transports/', { name: 'fuzz-transport', mode: 'local' });
  // A local transport's test/ leaves a notification for the caller.
  const tested = await t.admin.post(`/api/v3/events/transports/${transport.body.pk}/test/`);
  const notifications = await t.admin.get('/api/v3/events/notifications/');
  for (const [what, res] of Object.entries({ event, role, member, assigned, group, policy, transport, tested, notifications })) {
    if (res.status >= 300) throw new Error(`fuzz fixture ${what}: ${res.status} ${res.text}`);
  }
  const values: Record<string, string> = {
    event_uuid: event.body.pk,
    id: String(user.pk),
    identifier: user.tokenIdentifier,
    uuid: role.body.pk,
    group_uuid: group.body.pk,
    policy_uuid: policy.body.pk,
  };
  // Several resources call their id `uuid`: the value depends on the path.
  const valuesUnder: [string, Record<string, string>][] = [
    ['/events/transports/', { uuid: transport.body.pk }],
    ['/events/notifications/', { uuid: notifications.body.results[0].pk }],
  ];
  const valuesFor = (op: Operation) => ({ ...values, ...valuesUnder.find(([prefix]) => op.template.startsWith(prefix))?.[1] });
  return {
    values,
    resolves: (op) => op.pathParams.every((p) => p.name in valuesFor(op)),
    pathValues: (op) => {
      const known = valuesFor(op);
      return Object.fromEntries(op.pathParams.map((p: Parameter) => [p.name, known[p.name] ?? absentId(p)]));
    },
  };
}

function absentId(param: Parameter): string {
  if (param.schema.format === 'uuid' || /uuid/i.test(param.name)) return '00000000-0000-4000-8000-00000000f00d';
  if (param.schema.type === 'integer' || param.schema.type === 'number') return '2147480000';
  return 'no-such-object';
}
