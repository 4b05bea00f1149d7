import { CharField, IntegerField, PatchedType } from '@app/common';

/** Role serializer */
export class RoleRequest {
  @CharField({ required: true, maxLength: 150 })
  name!: string;
}

/** Role serializer */
export class PatchedRoleRequest extends PatchedType(RoleRequest) {}

/** Account adding/removing operations */
export class UserAccountSerializerForRoleRequest {
  @IntegerField({ required: true })
  pk!: number;
}
