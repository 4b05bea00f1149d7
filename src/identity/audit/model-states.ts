import { formatMicros, Uuid } from '@app/common';
import type { ModelState } from '../../events';
import type { Role } from '../entities/role.entity';
import type { Token } from '../entities/token.entity';
import type { User } from '../entities/user.entity';

/**
 * The fields a `model_updated` diff compares, named as authentik's Django models name them
 * (`serialize_simple` in enterprise/audit/middleware.py: concrete fields, no relations):
 * datetimes as ISO text, UUIDs as `Uuid` (hex in the event). Secret-looking names
 * (`key`, `password_change_date`, …) are masked by `modelDiff`, as authentik masks them.
 */

/** `roleUuids`: the user's roles, when the change touches them (compared as a sorted set). */
export function userState(user: User, roleUuids?: readonly string[]): ModelState {
  return {
    id: user.id,
    last_login: formatMicros(user.lastLogin),
    is_superuser: user.isSuperuser,
    username: user.username,
    email: user.email,
    is_active: user.isActive,
    date_joined: formatMicros(user.dateJoined),
    uuid: new Uuid(user.uuid),
    name: user.name,
    path: user.path,
    type: user.type,
    password_change_date: formatMicros(user.passwordChangeDate),
    last_updated: formatMicros(user.lastUpdated),
    attributes: user.attributes,
    ...(roleUuids ? { roles: [...new Set(roleUuids.map((uuid) => new Uuid(uuid).hex))].sort() } : {}),
  };
}

export function tokenState(token: Token): ModelState {
  return {
    managed: token.managed,
    expires: formatMicros(token.expires),
    expiring: token.expiring,
    token_uuid: new Uuid(token.tokenUuid),
    identifier: token.identifier,
    // The key itself is never at hand; its digest changes exactly when the key does (and is masked).
    key: token.keyDigest,
    intent: token.intent,
    user: token.userId,
    description: token.description,
  };
}

export function roleState(role: Role): ModelState {
  return { uuid: new Uuid(role.uuid), name: role.name };
}
