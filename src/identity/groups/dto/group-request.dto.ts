import { BooleanField, CharField, DictField, IntegerField, integerPkProblem, ListField, PatchedType, uuidPkProblem } from '@app/common';
import { ApiProperty } from '@nestjs/swagger';

// Fields shared by POST/PUT and PATCH; only `name` differs (required or not).
const IsSuperuser = BooleanField();
const GroupUuids = ListField(uuidPkProblem);
const UserPks = ListField(integerPkProblem);
const Attributes = DictField();

/** Group Serializer */
export class GroupRequest {
  @CharField({ required: true, maxLength: 255 })
  @ApiProperty({ minLength: 1 })
  name!: string;

  /** Users added to this group will be superusers. */
  @IsSuperuser
  is_superuser?: boolean;

  @GroupUuids
  @ApiProperty({ ...{ type: 'array', items: { type: 'string', format: 'uuid' } }, required: false })
  parents?: string[];

  @UserPks
  @ApiProperty({ ...{ type: 'array', items: { type: 'integer' } }, required: false })
  users?: number[];

  @Attributes
  attributes?: Record<string, unknown>;

  @GroupUuids
  @ApiProperty({ ...{ type: 'array', items: { type: 'string', format: 'uuid' } }, required: false })
  roles?: string[];
}

/** Group Serializer */
export class PatchedGroupRequest extends PatchedType(GroupRequest) {}

/** Account adding/removing operations */
export class UserAccountRequest {
  @IntegerField({ required: true })
  @ApiProperty({ type: 'integer' })
  pk!: number;
}
