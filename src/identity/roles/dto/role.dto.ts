import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, PaginationSchema } from '@app/common';

/** Role serializer */
@ApiSchema({ name: 'Role' })
export class RoleResponse {
  /** @example "b4c6ea8a-4bd5-4f1b-9a3e-5f1f0c0f5a11" */
  @ApiProperty({ format: 'uuid', readOnly: true })
  pk!: string;
  name!: string;
}

@ApiSchema({ name: 'PaginatedRoleList' })
export class PaginatedRoleList {
  pagination!: PaginationSchema;
  results!: RoleResponse[];
  autocomplete!: AutocompleteSchema;
}
