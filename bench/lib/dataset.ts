import {
  ACTION_WEIGHTS,
  APP_OF_ACTION,
  CATALOG,
  DEFAULT_BRAND,
  FLOW_PATHS,
  MODEL_KINDS,
  ModelRef,
  SECOND_BRAND,
  SYSTEM_ACTIONS,
  USER_AGENTS,
  USER_COUNT,
  USERS,
  UserSnapshot,
  randomIpv4,
  randomIpv6,
} from './catalog';
import { Rng, WeightedPicker, mix32 } from './random';

/** Bump when the generated rows change, so an old seeded table is rebuilt instead of reused. */
export const DATASET_VERSION = 1;

/** A seeded bench database (MariaDB or SQLite): its size, the instant its rows are placed from, and how it came about. */
export interface SeedResult {
  events: number;
  anchorMicros: number;
  reused: boolean;
  seconds: number;
  rowsPerSecond: number;
}

const DAY_US = 86_400_000_000;
export const SPAN_US = 90 * DAY_US;
export const RETENTION_US = 365 * DAY_US;
const MIN_CONTEXT_BYTES = 200;
const MAX_CONTEXT_BYTES = 800;

export interface GeneratedEvent {
  uuid: Buffer;
  user: object;
  action: string;
  app: string;
  context: Record<string, unknown>;
  clientIp: string | null;
  created: number;
  expires: number;
  brand: object;
}

const ACTIONS = new WeightedPicker(ACTION_WEIGHTS);

function snapshot(k: number): UserSnapshot {
  const { pk, username, email } = USERS[k];
  return { pk, username, email };
}

/** A few users are very active, most are occasional (like a real tenant). */
function pickUserIndex(rng: Rng): number {
  return Math.min(USER_COUNT - 1, Math.floor(USER_COUNT * Math.pow(rng.next(), 1.6)));
}

function userModel(k: number): ModelRef {
  const { pk, username } = USERS[k];
  return { app: 'authentik_core', model_name: 'user', pk, name: username };
}

function httpRequest(rng: Rng): Record<string, unknown> {
  return {
    args: rng.chance(0.5) ? {} : { next: `/if/user/#/library?page=${rng.int(20)}` },
    path: rng.pick(FLOW_PATHS),
    method: rng.chance(0.7) ? 'GET' : 'POST',
    request_id: rng.hex(16),
    user_agent: rng.pick(USER_AGENTS),
  };
}

function modelFor(rng: Rng): ModelRef {
  const kind = MODEL_KINDS.pick(rng);
  return kind === 'user' ? userModel(pickUserIndex(rng)) : rng.pick(kind);
}

/** The action-specific part of `context`, shaped like authentik's. */
function contextFor(action: string, rng: Rng, userIndex: number): Record<string, unknown> {
  switch (action) {
    case 'login': {
      const method = rng.pick(['password', 'password', 'password', 'auth_webauthn_pwl', 'token', 'app_password']);
      const args =
        method === 'auth_webauthn_pwl'
          ? { device: rng.pick(CATALOG.DEVICES) }
          : method === 'password'
            ? {}
            : { identifier: `token-${rng.hex(4)}` };
      const context: Record<string, unknown> = { auth_method: method, auth_method_args: args, http_request: httpRequest(rng) };
      // Logins through an application's flow carry the application (authentik's top_per_user).
      if (rng.chance(0.15)) context.authorized_application = rng.pick(CATALOG.APPLICATIONS);
      return context;
    }
    case 'login_failed':
      return {
        stage: rng.pick(CATALOG.STAGES),
        password: '********************',
        username: USERS[userIndex].username,
        http_request: httpRequest(rng),
      };
    case 'authorize_application':
      return {
        authorized_application: rng.pick(CATALOG.APPLICATIONS),
        flow: rng.hex(16),
        scopes: 'openid email profile',
        http_request: httpRequest(rng),
      };
    case 'model_created':
    case 'model_deleted':
      return { model: modelFor(rng), http_request: httpRequest(rng) };
    case 'model_updated':
      return {
        model: modelFor(rng),
        diff: { name: { previous_value: `old-${rng.hex(3)}`, new_value: `new-${rng.hex(3)}` } },
        http_request: httpRequest(rng),
      };
    case 'policy_execution':
    case 'policy_exception':
      return {
        result: { passing: rng.chance(0.8), messages: [] },
        binding: rng.pick(CATALOG.BINDINGS),
        policy: rng.pick(CATALOG.POLICIES),
        http_request: httpRequest(rng),
      };
    case 'secret_view':
    case 'secret_rotate':
      return { token: rng.pick(CATALOG.TOKENS), http_request: httpRequest(rng) };
    case 'user_write': {
      const { username, email, name } = USERS[userIndex];
      return { name, email, username, created: rng.chance(0.1), http_request: httpRequest(rng) };
    }
    case 'email_sent':
      return {
        message: 'Email to user sent',
        subject: 'authentik',
        to_email: [USERS[userIndex].email],
        from_email: 'authentik@example.com',
      };
    case 'system_task_execution':
    case 'system_task_exception':
      return {
        name: rng.pick(['clean_expired_models', 'outpost_controller', 'update_latest_version', 'ldap_sync']),
        uid: rng.hex(4),
        status: action === 'system_task_execution' ? 'successful' : 'error',
        messages: ['Task finished'],
      };
    case 'flow_execution':
      return { flow: rng.pick(CATALOG.FLOWS), http_request: httpRequest(rng) };
    default:
      return { message: `${action.replace(/_/g, ' ')} recorded`, http_request: httpRequest(rng) };
  }
}

/** Grows (or leaves) a context so its JSON is 200 to 800 bytes, like authentik's real rows. */
function sizeContext(context: Record<string, unknown>, rng: Rng): Record<string, unknown> {
  const target = MIN_CONTEXT_BYTES + 16 + rng.int(MAX_CONTEXT_BYTES - MIN_CONTEXT_BYTES - 16);
  const existing = Array.isArray(context.messages) ? (context.messages as string[]) : [];
  const missing = target - JSON.stringify(context).length - (existing.length > 0 ? 3 : 16); // `,"messages":[""]`
  if (missing <= 0) return context;
  let note = '';
  while (note.length < missing) note += `${rng.pick(['flow', 'stage', 'plan', 'binding', 'source'])}:${rng.hex(4)} `;
  return { ...context, messages: [...existing, note.slice(0, missing)] };
}

/**
 * Deterministic rows: row `i` of a data set of `total` rows anchored at `anchorMicros` is always
 * the same event. `created` grows with `i` (an audit log is written in time order) and spans the
 * 90 days before the anchor; `event_uuid` is random-looking (v4) but unique by construction.
 */
export class EventGenerator {
  constructor(
    private readonly total: number,
    private readonly anchorMicros: number,
  ) {}

  /** The uuid's first four bytes: a bijection of `i`, so no two rows share a uuid. */
  uuidPrefix(i: number): number {
    return mix32(i ^ 0x2545f491);
  }

  uuid(i: number): Buffer {
    const rest = new Rng(mix32(i ^ 0x5a17c0de));
    const bytes = Buffer.alloc(16);
    bytes.writeUInt32BE(this.uuidPrefix(i), 0);
    for (let b = 4; b < 16; b += 4) bytes.writeUInt32BE(rest.uint32(), b);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    return bytes;
  }

  row(i: number): GeneratedEvent {
    const rng = new Rng(mix32(Math.imul(i, 0x9e3779b1) ^ 0x1f2e3d4c));
    const action = ACTIONS.pick(rng);
    const system = SYSTEM_ACTIONS.has(action);
    const userIndex = pickUserIndex(rng);
    const home = USERS[userIndex];
    const ipRoll = rng.next();
    const clientIp = system
      ? null
      : ipRoll < 0.7
        ? rng.chance(0.8)
          ? home.homeIpv4
          : home.homeIpv6
        : ipRoll < 0.88
          ? randomIpv4(rng)
          : randomIpv6(rng);
    const start = this.anchorMicros - SPAN_US;
    const created = start + Math.floor(((i + rng.next()) * SPAN_US) / this.total);
    return {
      uuid: this.uuid(i),
      user: system ? {} : snapshot(userIndex),
      action,
      app: APP_OF_ACTION[action] ?? 'authentik.events.models',
      context: sizeContext(contextFor(action, rng, userIndex), rng),
      clientIp,
      created,
      expires: created + RETENTION_US,
      brand: rng.chance(0.95) ? DEFAULT_BRAND : SECOND_BRAND,
    };
  }
}

/** The canonical 8-4-4-4-12 text of a 16-byte uuid. */
export function formatUuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
