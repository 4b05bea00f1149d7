import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, PaginationSchema } from '@app/common';
import { PartialUserDto } from '../../users/dto/partial-user.dto';
import { RoleResponse } from '../../roles/dto/role.dto';

@ApiSchema({ name: 'RelatedGroup' })
export class RelatedGroupResponse {
  @ApiProperty({ format: 'uuid', readOnly: true, title: 'Group uuid' })
  pk!: string;
  name!: string;
  is_superuser?: boolean;
  attributes?: Record<string, unknown>;
  @ApiProperty({ format: 'uuid', readOnly: true })
  group_uuid!: string;
}

/** Group Serializer */
@ApiSchema({ name: 'Group' })
export class GroupResponse {
  @ApiProperty({ format: 'uuid', readOnly: true, title: 'Group uuid' })
  pk!: string;
  @ApiProperty({ type: 'integer', readOnly: true })
  num_pk!: number;
  name!: string;
  /** Users added to this group will be superusers. */
  is_superuser?: boolean;
  @ApiProperty({ ...{ type: 'array', items: { type: 'string', format: 'uuid' } }, required: false })
  parents?: string[];
  @ApiProperty({ type: [RelatedGroupResponse], readOnly: true, nullable: true })
  parents_obj!: RelatedGroupResponse[] | null;
  @ApiProperty({ ...{ type: 'array', items: { type: 'integer' } }, required: false })
  users?: number[];
  @ApiProperty({ type: [PartialUserDto], nullable: true, readOnly: true })
  users_obj!: PartialUserDto[] | null;
  attributes?: Record<string, unknown>;
  @ApiProperty({ ...{ type: 'array', items: { type: 'string', format: 'uuid' } }, required: false })
  roles?: string[];
  @ApiProperty({ type: [RoleResponse], readOnly: true })
  roles_obj!: RoleResponse[];
  @ApiProperty({ type: [RoleResponse], readOnly: true, nullable: true })
  inherited_roles_obj!: RoleResponse[] | null;
  @ApiProperty({ ...{ type: 'array', items: { type: 'string', format: 'uuid' } }, readOnly: true })
  children!: string[];
  @ApiProperty({ type: [RelatedGroupResponse], readOnly: true, nullable: true })
  children_obj!: RelatedGroupResponse[] | null;
}

@ApiSchema({ name: 'PaginatedGroupList' })
export class PaginatedGroupList {
  pagination!: PaginationSchema;
  results!: GroupResponse[];
  autocomplete!: AutocompleteSchema;
}
