import { CharField, IntegerField } from '@app/common';

/** Role serializer */
export class RoleRequest {
  @CharField({ required: true, maxLength: 150 })
  name!: string;
}

/** Role serializer */
export class PatchedRoleRequest {
  @CharField({ maxLength: 150 })
  name?: string;
}

/** Account adding/removing operations */
export class UserAccountSerializerForRoleRequest {
  @IntegerField({ required: true })
  pk!: number;
}
