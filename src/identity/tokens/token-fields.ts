import type { TokenIntent } from '../entities/token.entity';

/** What can be written to a token; `key` is the plain key, stored only as digest and ciphertext. */
export interface TokenFields {
  identifier: string;
  userId: number;
  intent: TokenIntent;
  description: string;
  expires: number | null;
  expiring: boolean;
  managed: string | null;
  key: string;
}

export type NewToken = Pick<TokenFields, 'identifier' | 'userId'> & Partial<TokenFields>;
export type TokenChanges = Partial<TokenFields>;

/** authentik's `default_token_duration` (the tenant default `days=1`), in microseconds. */
export const DEFAULT_TOKEN_DURATION_MICROS = 24 * 60 * 60 * 1_000_000;

/** User attribute that decides whether tokens a user makes for themselves expire. */
export const USER_ATTRIBUTE_TOKEN_EXPIRING = 'goauthentik.io/user/token-expires';

/** The intents a token may be created or changed to through the API. */
export const API_CREATABLE_INTENTS: readonly TokenIntent[] = ['api', 'app_password'];

/** User attribute: the longest lifetime (a duration string, `hours=2`) of the app passwords a user makes. */
export const USER_ATTRIBUTE_TOKEN_MAXIMUM_LIFETIME = 'goauthentik.io/user/token-maximum-lifetime';
