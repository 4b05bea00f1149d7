import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, PaginationSchema } from '@app/common';
import { RoleResponse } from '../../roles/dto/role.dto';

export const USER_TYPES = ['internal', 'external', 'service_account', 'internal_service_account'] as const;
export type UserType = (typeof USER_TYPES)[number];

/** Partial Group Serializer, does not include child relations. */
@ApiSchema({ name: 'PartialGroup' })
export class PartialGroupResponse {
  @ApiProperty({ format: 'uuid', readOnly: true, title: 'Group uuid' })
  pk!: string;
  @ApiProperty({ type: 'integer', readOnly: true })
  num_pk!: number;
  name!: string;
  is_superuser?: boolean;
  attributes?: Record<string, unknown>;
}

/** User Serializer */
@ApiSchema({ name: 'User' })
export class UserResponse {
  pk!: number;
  username!: string;
  /** User's display name. */
  name!: string;
  is_active?: boolean;
  last_login?: string | null;
  date_joined!: string;
  is_superuser!: boolean;
  groups?: string[];
  groups_obj!: PartialGroupResponse[] | null;
  roles?: string[];
  roles_obj!: RoleResponse[] | null;
  email?: string;
  /** User's avatar, either a http/https URL or a data URI */
  avatar!: string;
  attributes?: Record<string, unknown>;
  uid!: string;
  path?: string;
  type?: UserType;
  uuid!: string;
  password_change_date!: string;
  last_updated!: string;
}

@ApiSchema({ name: 'PaginatedUserList' })
export class PaginatedUserList {
  pagination!: PaginationSchema;
  results!: UserResponse[];
  autocomplete!: AutocompleteSchema;
}

@ApiSchema({ name: 'UserSelfGroups' })
export class UserSelfGroups {
  name!: string;
  pk!: string;
}

@ApiSchema({ name: 'UserSelfRoles' })
export class UserSelfRoles {
  name!: string;
  pk!: string;
}

/** User Serializer for information a user can retrieve about themselves */
@ApiSchema({ name: 'UserSelf' })
export class UserSelfResponse {
  pk!: number;
  username!: string;
  name!: string;
  is_active!: boolean;
  is_superuser!: boolean;
  /** Return whether this user owns the current browser session. */
  is_current!: boolean;
  groups!: UserSelfGroups[];
  roles!: UserSelfRoles[];
  email?: string;
  avatar!: string;
  uid!: string;
  /** Get user settings with brand and group settings applied */
  settings!: Record<string, unknown>;
  type?: UserType;
  /** Get all system permissions assigned to the user */
  system_permissions!: string[];
}

/**
 * Response for the /user/me endpoint, returns the currently active user (as `user` property)
 * and the users of this session (`users`).
 */
@ApiSchema({ name: 'SessionUser' })
export class SessionUserResponse {
  user!: UserSelfResponse;
  original?: UserSelfResponse;
  users!: UserSelfResponse[];
}
