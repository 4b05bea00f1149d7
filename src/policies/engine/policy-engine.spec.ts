import type { QueryableEvent } from '../../events';
import { EventMatcherCriteria, matchEvent } from './event-matcher';
import { EngineBinding, evaluateBindings } from './policy-engine';

const GROUP = '9a8b7c6d-0000-4000-8000-000000000001';
const CHILD_GROUP_MEMBER = { pk: 5, groupUuids: new Set([GROUP]) };

const event = (fields: Partial<QueryableEvent> = {}): QueryableEvent => ({
  eventUuid: '0b5e1a2c-3d4e-4f50-8a6b-7c8d9e0f1a2b',
  action: 'custom_foo',
  app: 'authentik.core',
  clientIp: '1.2.3.4',
  user: { pk: 5 },
  brand: {},
  context: { model: { app: 'foo', model_name: 'bar' } },
  created: 0,
  ...fields,
});

const criteria = (fields: Partial<EventMatcherCriteria> = {}): EventMatcherCriteria => ({
  action: null,
  clientIp: null,
  app: null,
  model: null,
  query: null,
  ...fields,
});

const binding = (fields: Partial<EngineBinding> = {}): EngineBinding => ({
  enabled: true,
  negate: false,
  order: 0,
  timeout: 30,
  failureResult: false,
  policy: null,
  groupUuid: null,
  userId: null,
  ...fields,
});

describe('event matcher (authentik/policies/event_matcher/tests.py)', () => {
  it('matches each criterion with its message', () => {
    expect(matchEvent(criteria({ action: 'custom_foo' }), event())).toEqual({ passing: true, messages: ['Action matched.'] });
    expect(matchEvent(criteria({ clientIp: '1.2.3.4' }), event())).toEqual({ passing: true, messages: ['Client IP matched.'] });
    expect(matchEvent(criteria({ app: 'authentik.core' }), event())).toEqual({ passing: true, messages: ['App matched.'] });
    expect(matchEvent(criteria({ model: 'foo.bar' }), event())).toEqual({ passing: true, messages: ['Model matched.'] });
    expect(matchEvent(criteria({ query: 'action = "custom_foo"' }), event())).toEqual({ passing: true, messages: ['Query matched.'] });
  });

  it('needs every set criterion (test_drop_multiple, test_multiple); none set passes everything', () => {
    expect(matchEvent(criteria({ clientIp: '1.2.3.5' }), event()).passing).toBe(false);
    expect(matchEvent(criteria({ action: 'custom_foo', clientIp: '1.2.3.5' }), event())).toEqual({
      passing: false,
      messages: ['Action matched.', 'Client IP matched.'],
    });
    expect(matchEvent(criteria({ action: 'custom_foo', clientIp: '1.2.3.4' }), event()).passing).toBe(true);
    expect(matchEvent(criteria(), event()).passing).toBe(true);
  });

  it('fails without an event (test_invalid); custom_ is not a prefix; app is exact', () => {
    expect(matchEvent(criteria({ action: 'custom_foo' }), undefined).passing).toBe(false);
    expect(matchEvent(criteria({ action: 'custom_' }), event()).passing).toBe(false);
    expect(matchEvent(criteria({ app: 'authentik' }), event()).passing).toBe(false);
    expect(matchEvent(criteria({ model: 'None.None' }), event({ context: {} })).passing).toBe(true);
  });

  it('a query that does not parse fails the policy with the reason', () => {
    const result = matchEvent(criteria({ query: 'action = ' }), event());
    expect(result.passing).toBe(false);
    expect(result.messages).toHaveLength(1);
  });
});

describe('policy engine (mode any, empty result false)', () => {
  const matcher = binding({ policy: criteria({ action: 'custom_foo' }) });
  const request = { event: event(), user: CHILD_GROUP_MEMBER };

  it('a target without enabled bindings never matches (test_trigger_empty)', () => {
    expect(evaluateBindings([], request).passing).toBe(false);
    expect(evaluateBindings([{ ...matcher, enabled: false }], request).passing).toBe(false);
  });

  it('passes when any binding passes; negate flips a policy and keeps its messages', () => {
    const miss = binding({ policy: criteria({ action: 'login' }), order: 1 });
    expect(evaluateBindings([miss, matcher], request)).toEqual({ passing: true, messages: ['Action matched.', 'Action matched.'] });
    expect(evaluateBindings([miss], request).passing).toBe(false);
    expect(evaluateBindings([{ ...miss, negate: true }], request)).toEqual({ passing: true, messages: ['Action matched.'] });
    expect(evaluateBindings([{ ...matcher, negate: true }], request).passing).toBe(false);
  });

  it('group bindings pass for members of the group or its descendants; user bindings for that user', () => {
    expect(evaluateBindings([binding({ groupUuid: GROUP })], request).passing).toBe(true);
    expect(evaluateBindings([binding({ groupUuid: GROUP, negate: true })], request).passing).toBe(false);
    expect(evaluateBindings([binding({ groupUuid: GROUP })], { ...request, user: { pk: 6, groupUuids: new Set() } }).passing).toBe(false);
    expect(evaluateBindings([binding({ userId: 5 })], request).passing).toBe(true);
    expect(evaluateBindings([binding({ userId: 6 })], request).passing).toBe(false);
    expect(evaluateBindings([binding({ userId: 5 })], { ...request, user: null }).passing).toBe(false);
  });
});
