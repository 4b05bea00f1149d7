import type { EngineBinding } from '../../policies/engine/policy-engine';
import { PlanEvent, PlanInput, PlanRule, PlanTransport, planDeliveries } from './delivery-plan';

const EVENT_UUID = '0b5e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b';
const POLICY_UUID = '5f1d8a4c-1234-4abc-8def-0123456789ab';
const NOW = 1_800_000_000_000_000;

const event = (fields: Partial<PlanEvent> = {}): PlanEvent => ({
  eventUuid: EVENT_UUID,
  action: 'custom_foo',
  app: 'authentik.core',
  clientIp: '1.2.3.4',
  user: {},
  brand: {},
  context: { foo: 'bar' },
  created: NOW - 1,
  expires: NOW + 1_000_000,
  ...fields,
});

/** A binding to an event matcher on `action` (authentik's tests bind `custom_`-prefixed matchers). */
const matcher = (action: string, fields: Partial<EngineBinding> = {}): EngineBinding => ({
  enabled: true,
  negate: false,
  order: 0,
  timeout: 30,
  failureResult: false,
  policy: { action, clientIp: null, app: null, model: null, query: null },
  groupUuid: null,
  userId: null,
  ...fields,
});

const local: PlanTransport = { pk: 'transport-local', mode: 'local', sendOnce: false };

const rule = (fields: Partial<PlanRule> = {}): PlanRule => ({
  pk: 'rule-1',
  severity: 'alert',
  destinationEventUser: false,
  transports: [local],
  groupMembers: [11, 12],
  bindings: [matcher('custom_foo')],
  ...fields,
});

const plan = (fields: Partial<PlanInput> = {}) =>
  planDeliveries({
    event: event(),
    revision: 'rev-a',
    now: NOW,
    rules: [rule()],
    policiesBoundToRules: new Set(),
    policyUser: null,
    ...fields,
  });

const recipients = (fields: Partial<PlanInput> = {}) => plan(fields).deliveries.map((d) => [d.transportPk, d.recipientPk]);

describe('planDeliveries (authentik test_notifications cases and the pipeline of facts §6)', () => {
  it('test_trigger_empty: a rule with a transport and a group but no bindings sends nothing', () => {
    expect(plan({ rules: [rule({ bindings: [] })] })).toEqual({ skipped: null, deliveries: [] });
  });

  it('a rule whose only binding is disabled never matches either', () => {
    expect(plan({ rules: [rule({ bindings: [matcher('custom_foo', { enabled: false })] })] }).deliveries).toEqual([]);
  });

  it('test_trigger_single: a matching rule sends one notification per group member', () => {
    const { deliveries } = plan();
    expect(deliveries).toEqual([
      {
        idempotencyKey: `${EVENT_UUID}/rev-a/rule-1/transport-local/member:11`,
        eventUuid: EVENT_UUID,
        revision: 'rev-a',
        rulePk: 'rule-1',
        transportPk: 'transport-local',
        mode: 'local',
        recipientPk: 11,
        severity: 'alert',
      },
      expect.objectContaining({ recipientPk: 12, idempotencyKey: `${EVENT_UUID}/rev-a/rule-1/transport-local/member:12` }),
    ]);
  });

  it('a rule whose policy does not match sends nothing', () => {
    expect(plan({ event: event({ action: 'login' }) }).deliveries).toEqual([]);
  });

  it('test_trigger_no_group: a matching rule without group or transports sends nothing', () => {
    expect(plan({ rules: [rule({ groupMembers: [], transports: [] })] }).deliveries).toEqual([]);
    expect(plan({ rules: [rule({ groupMembers: [] })] }).deliveries).toEqual([]);
    expect(plan({ rules: [rule({ transports: [] })] }).deliveries).toEqual([]);
  });

  it('test_trigger_event_user: the event user, then the direct members, without de-duplication', () => {
    const withUser = event({ user: { pk: 12, username: 'jane' } });
    expect(recipients({ event: withUser, rules: [rule({ destinationEventUser: true })] })).toEqual([
      ['transport-local', 12],
      ['transport-local', 11],
      ['transport-local', 12],
    ]);
    expect(recipients({ event: withUser, rules: [rule({ destinationEventUser: true, groupMembers: [] })] })).toEqual([
      ['transport-local', 12],
    ]);
    // Both deliveries to user 12 are kept apart by where the recipient came from.
    const keys = plan({ event: withUser, rules: [rule({ destinationEventUser: true })] }).deliveries.map((d) => d.idempotencyKey);
    expect(new Set(keys).size).toBe(3);
  });

  it('an event without a user pk (or pk 0) adds no event-user recipient', () => {
    for (const user of [{}, { pk: 0 }, { pk: null }, { username: 'x' }]) {
      expect(recipients({ event: event({ user }), rules: [rule({ destinationEventUser: true, groupMembers: [] })] })).toEqual([]);
    }
  });

  it('test_transport_once: send_once with two members sends one, to the first recipient', () => {
    const once: PlanTransport = { pk: 'transport-hook', mode: 'webhook', sendOnce: true };
    expect(recipients({ rules: [rule({ transports: [once] })] })).toEqual([['transport-hook', 11]]);
    expect(recipients({ event: event({ user: { pk: 7 } }), rules: [rule({ transports: [once], destinationEventUser: true })] })).toEqual([
      ['transport-hook', 7],
    ]);
  });

  it('one delivery per transport and recipient, transports in the rule order', () => {
    const once: PlanTransport = { pk: 'transport-hook', mode: 'webhook', sendOnce: true };
    expect(recipients({ rules: [rule({ transports: [once, local] })] })).toEqual([
      ['transport-hook', 11],
      ['transport-local', 11],
      ['transport-local', 12],
    ]);
  });

  it('loop guard: an event about a policy bound to any rule notifies nobody, whatever the UUID spelling', () => {
    const policyEvent = event({ action: 'custom_foo', context: { policy_uuid: POLICY_UUID.replace(/-/g, '') } });
    expect(plan({ event: policyEvent, policiesBoundToRules: new Set([POLICY_UUID]) })).toEqual({ skipped: 'policy_loop', deliveries: [] });
    expect(plan({ event: policyEvent, policiesBoundToRules: new Set(['00000000-0000-4000-8000-000000000000']) }).deliveries).toHaveLength(
      2,
    );
  });

  it('an expired event notifies nobody', () => {
    expect(plan({ event: event({ expires: NOW }) })).toEqual({ skipped: 'expired', deliveries: [] });
  });

  it('no mail loops: an email_sent event gives no email delivery, other transports still deliver', () => {
    const email: PlanTransport = { pk: 'transport-mail', mode: 'email', sendOnce: false };
    const rules = [rule({ transports: [email, local], bindings: [matcher('email_sent')] })];
    expect(recipients({ event: event({ action: 'email_sent' }), rules })).toEqual([
      ['transport-local', 11],
      ['transport-local', 12],
    ]);
    expect(recipients({ rules: [rule({ transports: [email] })] })).toEqual([
      ['transport-mail', 11],
      ['transport-mail', 12],
    ]);
  });

  it('a group binding matches for the policy user, and each rule is decided on its own', () => {
    const group = '9a8b7c6d-0000-4000-8000-000000000001';
    const byGroup = rule({ pk: 'rule-2', bindings: [matcher('x', { policy: null, groupUuid: group })] });
    const policyUser = { pk: 5, groupUuids: new Set([group]) };
    expect(plan({ rules: [rule(), byGroup], policyUser }).deliveries.map((d) => d.rulePk)).toEqual([
      'rule-1',
      'rule-1',
      'rule-2',
      'rule-2',
    ]);
    expect(plan({ rules: [byGroup], policyUser: null }).deliveries).toEqual([]);
  });

  it('another revision of the same event gets other idempotency keys', () => {
    const a = plan().deliveries.map((d) => d.idempotencyKey);
    const b = plan({ revision: 'rev-b' }).deliveries.map((d) => d.idempotencyKey);
    expect(a.some((key) => b.includes(key))).toBe(false);
  });
});
