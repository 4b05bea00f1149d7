import type { PermissionName } from './permissions';

/** Who is calling: the token's user and the permissions granted through their roles. */
export interface Principal {
  user: {
    pk: number;
    uuid: string;
    username: string;
    name: string;
    email: string;
    is_superuser: boolean;
  };
  /** Global permission codenames such as `authentik_events.view_event`. */
  permissions: ReadonlySet<string>;
  /** The identifier of the API token used. */
  tokenIdentifier: string;
}

export function hasPermission(principal: Principal, permission: PermissionName): boolean {
  return principal.user.is_superuser || principal.permissions.has(permission);
}

/**
 * Implemented by the identity module: turns a bearer key into a principal. `null` means the key
 * matches no usable token (unknown, expired, wrong intent, or its user is inactive).
 */
export abstract class TokenAuthenticator {
  abstract authenticate(key: string): Promise<Principal | null>;
}
