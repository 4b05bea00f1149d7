import { Rng, WeightedPicker } from './random';

/**
 * The fixed vocabulary the data set is drawn from: users, applications, models, user agents,
 * and how often each action happens. Built once from a fixed seed.
 */

export const USER_COUNT = 5000;
/** Seeded users get ids from here on; the bootstrap admin takes the next free id. */
export const FIRST_USER_ID = 100;

const FIRST_NAMES = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'grace',
  'heidi',
  'ivan',
  'judy',
  'mallory',
  'niaj',
  'olivia',
  'peggy',
  'rupert',
  'sybil',
  'trent',
  'ursula',
  'victor',
  'walter',
  'xena',
  'yusuf',
  'zoe',
  'amir',
  'bianca',
  'chen',
  'dmitri',
  'elena',
  'fatima',
  'gustav',
  'hana',
  'igor',
  'jamal',
  'kenji',
  'lucia',
  'marek',
  'nora',
  'oskar',
  'priya',
  'quentin',
  'rosa',
  'sven',
  'tariq',
  'uma',
  'vera',
  'wei',
  'ximena',
  'yara',
  'zeno',
  'ada',
];
const LAST_NAMES = Array.from({ length: Math.ceil(USER_COUNT / FIRST_NAMES.length) }, (_, n) => {
  const stems = ['smith', 'garcia', 'muller', 'rossi', 'novak', 'kowalski', 'tanaka', 'silva', 'dubois', 'larsen'];
  return `${stems[n % stems.length]}${n >= stems.length ? Math.floor(n / stems.length) : ''}`;
});

export interface UserSnapshot {
  pk: number;
  username: string;
  email: string;
}

export interface SeedUser extends UserSnapshot {
  name: string;
  /** The address this user usually comes from. */
  homeIpv4: string;
  homeIpv6: string;
}

function ipv4From(h: number): string {
  return `${11 + (h & 0x7f)}.${(h >>> 8) & 255}.${(h >>> 16) & 255}.${1 + ((h >>> 24) % 254)}`;
}

function ipv6From(rng: Rng): string {
  const groups = Array.from({ length: 5 }, () => rng.int(0x10000).toString(16));
  return `2001:db8:${groups.slice(0, 2).join(':')}::${groups.slice(2).join(':')}`;
}

export function randomIpv4(rng: Rng): string {
  return ipv4From(rng.uint32());
}

export function randomIpv6(rng: Rng): string {
  return ipv6From(rng);
}

export const USERS: SeedUser[] = Array.from({ length: USER_COUNT }, (_, k) => {
  const first = FIRST_NAMES[k % FIRST_NAMES.length];
  const last = LAST_NAMES[Math.floor(k / FIRST_NAMES.length)];
  const username = `${first}.${last}`;
  const rng = new Rng(0x05e7 + k * 7919);
  return {
    pk: FIRST_USER_ID + k,
    username,
    email: `${username}@example.com`,
    name: `${first[0].toUpperCase()}${first.slice(1)} ${last[0].toUpperCase()}${last.slice(1)}`,
    homeIpv4: ipv4From(rng.uint32()),
    homeIpv6: ipv6From(rng),
  };
});

export interface ModelRef {
  app: string;
  model_name: string;
  pk: string | number;
  name: string;
}

const catalogRng = new Rng(0xca7a1064);

function models(app: string, modelName: string, count: number, name: (n: number) => string, intPk = false): ModelRef[] {
  return Array.from({ length: count }, (_, n) => ({
    app,
    model_name: modelName,
    pk: intPk ? n + 1 : catalogRng.hex(16),
    name: name(n),
  }));
}

export const APPLICATIONS = models('authentik_core', 'application', 200, (n) => `Application ${n + 1}`);
const GROUPS = models('authentik_core', 'group', 300, (n) => `group-${n + 1}`);
const TOKENS = models('authentik_core', 'token', 2000, (n) => `api-token-${n + 1}`);
const FLOWS = models('authentik_flows', 'flow', 50, (n) => `default-flow-${n + 1}`);
const STAGES = models('authentik_stages_password', 'passwordstage', 20, (n) => `password-stage-${n + 1}`);
const ROLES = models('authentik_rbac', 'role', 100, (n) => `role-${n + 1}`);
const PROVIDERS = models('authentik_providers_oauth2', 'oauth2provider', 150, (n) => `OAuth2 provider ${n + 1}`, true);
const POLICIES = models('authentik_policies_expression', 'expressionpolicy', 120, (n) => `policy-${n + 1}`);
const BINDINGS = models('authentik_policies', 'policybinding', 400, (n) => `Binding ${n + 1}`);
const DEVICES = models('authentik_stages_authenticator_webauthn', 'webauthndevice', 800, (n) => `Security key ${n + 1}`, true);

/** `context.model` of model_* events; a user is the most common edited object. */
export const MODEL_KINDS = new WeightedPicker<'user' | ModelRef[]>([
  ['user', 45],
  [GROUPS, 10],
  [APPLICATIONS, 10],
  [TOKENS, 8],
  [FLOWS, 8],
  [PROVIDERS, 6],
  [ROLES, 5],
  [POLICIES, 5],
]);

export const CATALOG = { APPLICATIONS, GROUPS, TOKENS, FLOWS, STAGES, ROLES, PROVIDERS, POLICIES, BINDINGS, DEVICES };

export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'python-requests/2.32.3',
  'goauthentik.io/api/typescript 2026.8.3',
  'curl/8.11.0',
];

export const FLOW_PATHS = [
  '/api/v3/flows/executor/default-authentication-flow/',
  '/api/v3/flows/executor/default-source-authentication/',
  '/api/v3/flows/executor/default-provider-authorization-explicit-consent/',
  '/application/o/authorize/',
  '/api/v3/core/users/me/',
  '/api/v3/core/applications/',
  '/if/flow/default-authentication-flow/',
  '/api/v3/flows/executor/default-invalidation-flow/',
];

/** docs/api-contract.md §2.1, with login dominant (about 60 %). */
export const ACTION_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['login', 60],
  ['logout', 7],
  ['login_failed', 5],
  ['authorize_application', 6],
  ['model_updated', 4.5],
  ['model_created', 2.5],
  ['model_deleted', 1],
  ['policy_execution', 2.5],
  ['flow_execution', 1.5],
  ['system_task_execution', 2],
  ['user_write', 1.2],
  ['secret_view', 1],
  ['email_sent', 1],
  ['password_set', 0.8],
  ['suspicious_request', 0.4],
  ['system_task_exception', 0.2],
  ['policy_exception', 0.2],
  ['invitation_used', 0.2],
  ['source_linked', 0.2],
  ['impersonation_started', 0.1],
  ['impersonation_ended', 0.1],
  ['secret_rotate', 0.1],
  ['user_offboarded', 0.05],
  ['property_mapping_exception', 0.1],
  ['system_exception', 0.1],
  ['configuration_error', 0.1],
  ['configuration_warning', 0.1],
  ['update_available', 0.05],
  ['export_ready', 0.05],
  ['review_initiated', 0.05],
  ['review_overdue', 0.05],
  ['review_attested', 0.05],
  ['review_completed', 0.05],
  ['access_request_created', 0.05],
  ['access_request_approved', 0.05],
  ['access_request_denied', 0.05],
  ['access_request_revoked', 0.05],
  ['custom_', 0.1],
];

/** Actions the platform records without a person behind them (no user, no client IP). */
export const SYSTEM_ACTIONS = new Set([
  'system_task_execution',
  'system_task_exception',
  'system_exception',
  'configuration_error',
  'configuration_warning',
  'update_available',
  'review_overdue',
]);

export const APP_OF_ACTION: Record<string, string> = {
  login: 'authentik.events.signals',
  logout: 'authentik.events.signals',
  login_failed: 'authentik.events.signals',
  password_set: 'authentik.events.signals',
  user_write: 'authentik.events.signals',
  authorize_application: 'authentik.providers.oauth2.views.authorize',
  model_created: 'authentik.events.middleware',
  model_updated: 'authentik.events.middleware',
  model_deleted: 'authentik.events.middleware',
  policy_execution: 'authentik.policies.process',
  policy_exception: 'authentik.policies.process',
  flow_execution: 'authentik.flows.views.executor',
  system_task_execution: 'authentik.events.system_tasks',
  system_task_exception: 'authentik.events.system_tasks',
  secret_view: 'authentik.core.api.tokens',
  secret_rotate: 'authentik.core.tasks',
  email_sent: 'authentik.stages.email.tasks',
};

export const DEFAULT_BRAND = {
  app: 'authentik_brands',
  model_name: 'brand',
  pk: 'b7a1c0de5eed4e0f9c3a2b1d0e9f8a7b',
  name: 'Brand example.com',
};
export const SECOND_BRAND = { ...DEFAULT_BRAND, pk: 'c0ffee5eed4e4f0a8b7c6d5e4f3a2b1c', name: 'Brand corp.example.com' };
