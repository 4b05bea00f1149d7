import { ApiProperty } from '@nestjs/swagger';
import {
  BooleanField,
  CharField,
  ChoiceField,
  DateTimeField,
  DictField,
  EmailField,
  ListField,
  PatchedType,
  uuidPkProblem,
} from '@app/common';
import { USER_TYPES, UserType } from './user.dto';

const DATE_TIME = { type: String, format: 'date-time', nullable: true, required: false } as const;

/** User Serializer */
export class UserRequest {
  @CharField({ required: true, maxLength: 150 })
  username!: string;

  /** User's display name. */
  @CharField({ required: true, allowBlank: true })
  name!: string;

  /** Designates whether this user should be treated as active. Unselect this instead of deleting accounts. */
  @BooleanField()
  is_active?: boolean;

  @DateTimeField({ nullable: true })
  @ApiProperty(DATE_TIME)
  last_login?: number | null;

  @ListField(uuidPkProblem)
  groups?: string[];

  @ListField(uuidPkProblem)
  roles?: string[];

  @EmailField({ allowBlank: true, maxLength: 254 })
  email?: string;

  @DictField()
  attributes?: Record<string, unknown>;

  @CharField()
  path?: string;

  @ChoiceField(USER_TYPES)
  type?: UserType;
}

/** User Serializer */
export class PatchedUserRequest extends PatchedType(UserRequest) {}
