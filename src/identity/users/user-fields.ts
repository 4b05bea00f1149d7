/**
 * What can be written to a user; `roleUuids` / `groupUuids` replace the user's role and (direct)
 * group memberships. Superuser status is no field: it comes from groups.
 */
export interface UserFields {
  username: string;
  name: string;
  email: string;
  isActive: boolean;
  lastLogin: number | null;
  path: string;
  type: string;
  attributes: Record<string, unknown>;
  roleUuids: string[];
  groupUuids: string[];
}

export type NewUser = Pick<UserFields, 'username' | 'name'> & Partial<UserFields>;
export type UserChanges = Partial<UserFields>;
