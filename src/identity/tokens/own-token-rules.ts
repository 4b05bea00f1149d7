import { parseDuration } from '@app/common';
import { pythonDateTime } from '../audit/model-refs';
import type { TokenIntent } from '../entities/token.entity';
import type { User } from '../entities/user.entity';
import { DEFAULT_TOKEN_DURATION_MICROS, USER_ATTRIBUTE_TOKEN_EXPIRING, USER_ATTRIBUTE_TOKEN_MAXIMUM_LIFETIME } from './token-fields';

/** The parts of a token that decide how long its key works. */
export interface TokenTerms {
  intent: TokenIntent;
  expiring: boolean;
  expires: number | null;
}

type Owner = Pick<User, 'attributes'>;

/** authentik's `perform_create`: a non-superuser's tokens expire unless their attribute says otherwise. */
export function ownTokensExpire(owner: Owner): boolean {
  const setting = owner.attributes?.[USER_ATTRIBUTE_TOKEN_EXPIRING];
  return typeof setting === 'boolean' ? setting : true;
}

/**
 * The latest `expires` a non-superuser may set, as authentik's `TokenSerializer.validate` has it:
 * an app password lives at most the owner's `token-maximum-lifetime` (the default token duration
 * when unset or unreadable); an API token at most the default duration (authentik even rewrites
 * its `expires` to exactly that).
 */
export function latestExpiry(owner: Owner, intent: TokenIntent, now: number): number {
  const setting = owner.attributes?.[USER_ATTRIBUTE_TOKEN_MAXIMUM_LIFETIME];
  const lifetime = intent === 'app_password' && typeof setting === 'string' ? parseDuration(setting) : null;
  return now + (lifetime ?? DEFAULT_TOKEN_DURATION_MICROS);
}

/**
 * Field problems with the terms a non-superuser asks for their own token: `before` is the token
 * as stored (null on create), `after` the token as it would be, `expiresSent` whether the body
 * names `expires`. Only changes are judged, so a PUT that sends a token back unchanged passes.
 * Where authentik quietly rewrites `expires` we refuse instead, so the caller learns the limit.
 */
export function ownTokenProblems(
  owner: Owner,
  before: TokenTerms | null,
  after: TokenTerms,
  expiresSent: boolean,
  now: number,
): Record<string, string> {
  const problems: Record<string, string> = {};
  // Turning an app password into an API token would hand its lifetime to a key that opens the API.
  if (before && after.intent !== before.intent) problems.intent = 'Token intent cannot be changed.';
  if (before?.expiring && !after.expiring && ownTokensExpire(owner)) problems.expiring = 'Token expiring cannot be turned off.';
  if (expiresSent && (!before || after.expires !== before.expires)) {
    const latest = latestExpiry(owner, after.intent, now);
    // Here an expiring token without a date never ends, which outlives any maximum.
    const tooLate = after.expires === null ? after.expiring : after.expires > latest;
    if (tooLate) problems.expires = `Token expires exceeds maximum lifetime (${pythonDateTime(latest)} UTC).`;
  }
  return problems;
}
