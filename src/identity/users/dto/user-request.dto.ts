import { ApiProperty } from '@nestjs/swagger';
import { BooleanField, CharField, ChoiceField, DateTimeField, DictField, EmailField, ListField } from '@app/common';
import { uuidPkProblem } from '../../common/related-fields';
import { USER_TYPES, UserType } from './user.dto';

// Fields shared by PUT/POST and PATCH; only `username` and `name` differ (required or not).
const IsActive = BooleanField();
const LastLogin = DateTimeField({ nullable: true });
const RelatedUuids = ListField(uuidPkProblem);
const Email = EmailField({ allowBlank: true, maxLength: 254 });
const Attributes = DictField();
const Path = CharField();
const Type = ChoiceField(USER_TYPES);
const DATE_TIME = { type: String, format: 'date-time', nullable: true, required: false } as const;

/** User Serializer */
export class UserRequest {
  @CharField({ required: true, maxLength: 150 })
  username!: string;

  /** User's display name. */
  @CharField({ required: true, allowBlank: true })
  name!: string;

  /** Designates whether this user should be treated as active. Unselect this instead of deleting accounts. */
  @IsActive
  is_active?: boolean;

  @LastLogin
  @ApiProperty(DATE_TIME)
  last_login?: number | null;

  @RelatedUuids
  groups?: string[];

  @RelatedUuids
  roles?: string[];

  @Email
  email?: string;

  @Attributes
  attributes?: Record<string, unknown>;

  @Path
  path?: string;

  @Type
  type?: UserType;
}

/** User Serializer */
export class PatchedUserRequest {
  @CharField({ maxLength: 150 })
  username?: string;

  /** User's display name. */
  @CharField({ allowBlank: true })
  name?: string;

  /** Designates whether this user should be treated as active. Unselect this instead of deleting accounts. */
  @IsActive
  is_active?: boolean;

  @LastLogin
  @ApiProperty(DATE_TIME)
  last_login?: number | null;

  @RelatedUuids
  groups?: string[];

  @RelatedUuids
  roles?: string[];

  @Email
  email?: string;

  @Attributes
  attributes?: Record<string, unknown>;

  @Path
  path?: string;

  @Type
  type?: UserType;
}
