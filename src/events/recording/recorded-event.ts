import type { Principal } from '@app/auth';
import {
  isPlainObject,
  isUserEntity,
  maskSecretsSteps,
  runInSlices,
  runToEnd,
  sanitizeForJson,
  sanitizeForJsonSteps,
  Steps,
  UserSnapshot,
} from '@app/common';
import type { TrustedProxies } from '../../config/trusted-proxies';
import { CUSTOM_ACTION_PREFIX, isEventAction } from '../event-actions';
import type { JsonObject, NewEvent } from '../event.types';
import { clientIpOfRequest } from './client-ip';
import { httpRequestContext } from './http-request-context';
import type { RecordableUser, RecordOptions } from './recording.types';

/**
 * The stored action for a name given in-process (docs/api-contract.md §6): a known action as it is, anything else
 * as `custom_<name>`. A name that already starts with `custom_` is kept, so recording a custom
 * action read back from an event does not turn `custom_foo` into `custom_custom_foo`.
 */
export function normalizeAction(action: string): string {
  return isEventAction(action) || action.startsWith(CUSTOM_ACTION_PREFIX) ? action : `${CUSTOM_ACTION_PREFIX}${action}`;
}

/** The `user` of an event: `{"pk", "username", "email"}` (authentik's `get_user`). */
export function userSnapshotOf(user: RecordableUser): JsonObject {
  if (isPrincipal(user)) {
    const { pk, username, email } = user.user;
    return { pk, username, email };
  }
  if (isUserEntity(user)) return sanitizeForJson(user) as JsonObject;
  const { pk, username, email, on_behalf_of, authenticated_as } = user as UserSnapshot;
  return sanitizeForJson({ pk, username, email, on_behalf_of, authenticated_as }) as JsonObject;
}

export interface RecordingDefaults {
  /** The `app` when the options name none. */
  app: string;
  trustedProxies: TrustedProxies;
}

/**
 * The event `EventsService.record` stores, and the principal behind it (for the revision history).
 * Context values are made JSON-safe, then masked; `http_request` is added last (its query-string
 * args are masked on their own), so a caller's `http_request` key cannot stand in for the request's.
 * `expires` is left to `EventsService.create` (created + retention).
 */
export function recordedEvent(
  action: string,
  options: RecordOptions,
  defaults: RecordingDefaults,
): { event: NewEvent; actor: Principal | undefined } {
  return runToEnd(recordedEventSteps(action, options, defaults));
}

/** `recordedEvent` in slices, for request paths: a context (a user's attributes in a diff) may hold 70 000 keys. */
export function recordedEventSliced(
  action: string,
  options: RecordOptions,
  defaults: RecordingDefaults,
): Promise<{ event: NewEvent; actor: Principal | undefined }> {
  return runInSlices(recordedEventSteps(action, options, defaults));
}

function* recordedEventSteps(
  action: string,
  options: RecordOptions,
  defaults: RecordingDefaults,
): Steps<{ event: NewEvent; actor: Principal | undefined }> {
  const { request } = options;
  const context = yield* maskSecretsSteps(yield* jsonObject(options.context ?? {}, 'context'));
  if (request) context.http_request = httpRequestContext(request);
  const user = options.user ?? request?.principal;
  return {
    event: {
      action: normalizeAction(action),
      app: options.app?.trim() || defaults.app,
      user: user ? userSnapshotOf(user) : {},
      context,
      client_ip: request ? clientIpOfRequest(request, defaults.trustedProxies) : null,
      brand: options.brand === undefined ? undefined : yield* jsonObject(options.brand, 'brand'),
    },
    actor: user && isPrincipal(user) ? user : request?.principal,
  };
}

function isPrincipal(user: RecordableUser): user is Principal {
  return typeof user === 'object' && user !== null && 'permissions' in user && 'user' in user;
}

function* jsonObject(value: Record<string, unknown>, name: string): Steps<JsonObject> {
  const clean = yield* sanitizeForJsonSteps(value);
  // Only a programming error gets here (the types ask for an object): fail loudly, store nothing.
  if (!isPlainObject(clean)) throw new TypeError(`an event's ${name} must be a plain object`);
  return clean;
}
