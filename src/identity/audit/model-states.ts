import { formatMicros, Uuid } from '@app/common';
import type { ModelState } from '../../events';
import type { Group } from '../entities/group.entity';
import type { Role } from '../entities/role.entity';
import type { Token } from '../entities/token.entity';
import type { User } from '../entities/user.entity';

/**
 * The fields a `model_updated` diff compares, named as authentik's Django models name them
 * (`serialize_simple` in enterprise/audit/middleware.py: concrete fields, no relations):
 * datetimes as ISO text, UUIDs as `Uuid` (hex in the event). Secret-looking names
 * (`key`, `password_change_date`, …) are masked by `modelDiff`, as authentik masks them.
 */

/**
 * `roleUuids` / `groupUuids`: the user's roles and groups, when the change touches them (compared
 * as sorted sets). `is_superuser` is not a field: it follows group membership, as in authentik.
 */
export function userState(user: User, roleUuids?: readonly string[], groupUuids?: readonly string[]): ModelState {
  return {
    id: user.id,
    last_login: formatMicros(user.lastLogin),
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
    ...(roleUuids ? { roles: hexSet(roleUuids) } : {}),
    ...(groupUuids ? { groups: hexSet(groupUuids) } : {}),
  };
}

function hexSet(uuids: readonly string[]): string[] {
  return [...new Set(uuids.map((uuid) => new Uuid(uuid).hex))].sort();
}

/** A group's own fields (memberships, parents and roles are recorded as relation changes). */
export function groupState(group: Group): ModelState {
  return { group_uuid: new Uuid(group.groupUuid), name: group.name, is_superuser: group.isSuperuser, attributes: group.attributes };
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
