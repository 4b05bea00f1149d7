/** What can be written to a user; `roleUuids` replaces the user's role memberships. */
export interface UserFields {
  username: string;
  name: string;
  email: string;
  isActive: boolean;
  isSuperuser: boolean;
  lastLogin: number | null;
  path: string;
  type: string;
  attributes: Record<string, unknown>;
  roleUuids: string[];
}

export type NewUser = Pick<UserFields, 'username' | 'name'> & Partial<UserFields>;
export type UserChanges = Partial<UserFields>;
