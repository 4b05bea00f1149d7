import { formatMicros, Micros, ModelRef, UserSnapshot, Uuid } from '@app/common';

/**
 * How events name users, tokens and roles: authentik's `model_to_dict` (events/utils.py), i.e.
 * the Django app label and model name, the pk (UUIDs as hex), and the instance's `name`
 * attribute when it has one, else `str(instance)`. The entities call these from their
 * `AS_MODEL_REF` methods, so this file names only the fields it reads, never the entity classes
 * (which would make each import the other).
 */

/** The fields of a user (`User`) that name it. */
export interface UserNaming {
  id: number;
  name: string;
  username: string;
  email: string;
}

/** The fields of a token (`Token`) that name it. */
export interface TokenNaming {
  tokenUuid: string;
  identifier: string;
  expiring: boolean;
  expires: Micros | null;
}

/** The fields of a role (`Role`) that name it. */
export interface RoleNaming {
  uuid: string;
  name: string;
}

export function userModelRef(user: Pick<UserNaming, 'id' | 'name'>): ModelRef {
  return { app: 'authentik_core', model_name: 'user', pk: user.id, name: user.name };
}

/** `get_user`: the acting user as events store it. */
export function userSnapshot(user: Pick<UserNaming, 'id' | 'username' | 'email'>): UserSnapshot {
  return { pk: user.id, username: user.username, email: user.email };
}

export function tokenModelRef(token: TokenNaming): ModelRef {
  return { app: 'authentik_core', model_name: 'token', pk: new Uuid(token.tokenUuid), name: tokenName(token) };
}

export function roleModelRef(role: RoleNaming): ModelRef {
  return { app: 'authentik_rbac', model_name: 'role', pk: new Uuid(role.uuid), name: role.name };
}

export function groupModelRef(group: { groupUuid: string; name: string }): ModelRef {
  return { app: 'authentik_core', model_name: 'group', pk: new Uuid(group.groupUuid), name: group.name };
}

/** A token has no `name`, so authentik writes `str(token)`: `<identifier> (expires=<datetime>)`. */
export function tokenName(token: Pick<TokenNaming, 'identifier' | 'expiring' | 'expires'>): string {
  return token.expiring ? `${token.identifier} (expires=${pythonDateTime(token.expires)})` : token.identifier;
}

/**
 * `str()` of a UTC datetime in Python: `2026-07-01 12:00:00.123456+00:00`, the fraction left out
 * when it is zero; `None` for no value.
 */
export function pythonDateTime(us: Micros | null): string {
  const iso = formatMicros(us);
  if (iso === null) return 'None';
  const fraction = iso.slice(19, 26);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction === '.000000' ? '' : fraction}+00:00`;
}
