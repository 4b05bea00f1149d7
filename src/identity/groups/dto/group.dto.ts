import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, PaginationSchema } from '@app/common';
import { PartialUserDto } from '../../../events/export/dto/data-export.dto';
import { RoleResponse } from '../../roles/dto/role.dto';

@ApiSchema({ name: 'RelatedGroup' })
export class RelatedGroupResponse {
  pk!: string;
  name!: string;
  is_superuser?: boolean;
  attributes?: Record<string, unknown>;
  group_uuid!: string;
}

/** Group Serializer */
@ApiSchema({ name: 'Group' })
export class GroupResponse {
  @ApiProperty({ format: 'uuid', readOnly: true, title: 'Group uuid' })
  pk!: string;
  num_pk!: number;
  name!: string;
  /** Users added to this group will be superusers. */
  is_superuser?: boolean;
  parents?: string[];
  parents_obj!: RelatedGroupResponse[] | null;
  users?: number[];
  @ApiProperty({ type: [PartialUserDto], nullable: true, readOnly: true })
  users_obj!: PartialUserDto[] | null;
  attributes?: Record<string, unknown>;
  roles?: string[];
  roles_obj!: RoleResponse[];
  inherited_roles_obj!: RoleResponse[] | null;
  children!: string[];
  children_obj!: RelatedGroupResponse[] | null;
}

@ApiSchema({ name: 'PaginatedGroupList' })
export class PaginatedGroupList {
  pagination!: PaginationSchema;
  results!: GroupResponse[];
  autocomplete!: AutocompleteSchema;
}

/** A model that uses the object, and what deleting the object does to it (authentik's `UsedBy`). */
@ApiSchema({ name: 'UsedBy' })
export class UsedByResponse {
  app!: string;
  model_name!: string;
  pk!: string;
  name!: string;
  @ApiProperty({ enum: ['cascade', 'cascade_many', 'set_null', 'set_default', 'left_dangling'], enumName: 'UsedByActionEnum' })
  action!: 'cascade' | 'cascade_many' | 'set_null' | 'set_default' | 'left_dangling';
}
