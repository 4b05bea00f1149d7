import { latestExpiry, ownTokenProblems, ownTokensExpire, TokenTerms } from './own-token-rules';

const NOW = Date.UTC(2026, 11, 6, 12, 0, 0) * 1000;
const HOUR = 3_600_000_000;
const DAY = 24 * HOUR;
const plain = { attributes: {} };
const generous = { attributes: { 'goauthentik.io/user/token-maximum-lifetime': 'weeks=4', 'goauthentik.io/user/token-expires': false } };
const pass: TokenTerms = { intent: 'app_password', expiring: true, expires: NOW + HOUR };

describe('own-token rules', () => {
  it('caps API tokens at the default duration and app passwords at the owner attribute', () => {
    expect(latestExpiry(plain, 'api', NOW)).toBe(NOW + DAY);
    expect(latestExpiry(plain, 'app_password', NOW)).toBe(NOW + DAY);
    expect(latestExpiry(generous, 'app_password', NOW)).toBe(NOW + 28 * DAY);
    expect(latestExpiry(generous, 'api', NOW)).toBe(NOW + DAY);
    // An unreadable attribute falls back to the default, as authentik's ValueError branch does.
    expect(latestExpiry({ attributes: { 'goauthentik.io/user/token-maximum-lifetime': 'forever' } }, 'app_password', NOW)).toBe(NOW + DAY);
  });

  it('reads the token-expires attribute, defaulting to expiring', () => {
    expect(ownTokensExpire(plain)).toBe(true);
    expect(ownTokensExpire(generous)).toBe(false);
    expect(ownTokensExpire({ attributes: { 'goauthentik.io/user/token-expires': 'no' } })).toBe(true);
  });

  it('names the limit in authentik words', () => {
    expect(ownTokenProblems(plain, null, { ...pass, expires: NOW + 2 * DAY }, true, NOW)).toEqual({
      expires: 'Token expires exceeds maximum lifetime (2026-12-07 12:00:00+00:00 UTC).',
    });
  });

  it('refuses a never-ending expiring token, but not a non-expiring one', () => {
    expect(Object.keys(ownTokenProblems(plain, null, { ...pass, expires: null }, true, NOW))).toEqual(['expires']);
    expect(ownTokenProblems(generous, null, { ...pass, expiring: false, expires: null }, true, NOW)).toEqual({});
  });

  it('judges only what an update changes', () => {
    const stored: TokenTerms = { intent: 'app_password', expiring: true, expires: NOW + 300 * DAY };
    expect(ownTokenProblems(plain, stored, stored, true, NOW)).toEqual({});
    expect(ownTokenProblems(plain, stored, { ...stored, intent: 'api' }, false, NOW)).toEqual({
      intent: 'Token intent cannot be changed.',
    });
    expect(ownTokenProblems(plain, stored, { ...stored, expiring: false }, false, NOW)).toEqual({
      expiring: 'Token expiring cannot be turned off.',
    });
    expect(ownTokenProblems(generous, stored, { ...stored, expiring: false }, false, NOW)).toEqual({});
    expect(ownTokenProblems(plain, stored, { ...stored, expires: NOW + HOUR }, true, NOW)).toEqual({});
  });
});
