import { deliveryUuid } from './delivery-key';
import { retryDelayMs } from './retry-backoff';

const policy = { maxAttempts: 6, baseMs: 15_000, maxMs: 3_600_000 };

describe('retryDelayMs', () => {
  it('doubles from the base, between half and all of the step', () => {
    expect(retryDelayMs(1, policy, () => 0)).toBe(7_500);
    expect(retryDelayMs(1, policy, () => 1)).toBe(15_000);
    expect(retryDelayMs(2, policy, () => 1)).toBe(30_000);
    expect(retryDelayMs(5, policy, () => 1)).toBe(240_000);
  });

  it('never waits longer than the cap', () => {
    expect(retryDelayMs(60, { ...policy, maxAttempts: 100 }, () => 1)).toBe(3_600_000);
  });

  it('gives up after the last attempt allowed', () => {
    expect(retryDelayMs(5, policy)).not.toBeNull();
    expect(retryDelayMs(6, policy)).toBeNull();
    expect(retryDelayMs(1, { ...policy, maxAttempts: 1 })).toBeNull();
  });
});

describe('deliveryUuid', () => {
  it('is a version 8 UUID that depends on the key only', () => {
    const key = 'e/r/rule/transport/user:1';
    expect(deliveryUuid(key)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deliveryUuid(key)).toBe(deliveryUuid(key));
    expect(deliveryUuid(`${key}x`)).not.toBe(deliveryUuid(key));
  });
});
