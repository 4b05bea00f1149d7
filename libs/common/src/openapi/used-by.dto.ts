import { ApiProperty, ApiSchema } from '@nestjs/swagger';

const USED_BY_ACTIONS = ['cascade', 'cascade_many', 'set_null', 'set_default', 'left_dangling'] as const;

/**
 * authentik's `UsedBy`, the items of every `used_by/` list: a model that refers to the object,
 * and what deleting the object does to it.
 */
@ApiSchema({ name: 'UsedBy', description: 'A list of all objects referencing the queried object' })
export class UsedByResponse {
  @ApiProperty({ type: String }) app!: string;
  @ApiProperty({ type: String }) model_name!: string;
  @ApiProperty({ type: String }) pk!: string;
  @ApiProperty({ type: String }) name!: string;
  @ApiProperty({ enum: USED_BY_ACTIONS, enumName: 'UsedByActionEnum' }) action!: (typeof USED_BY_ACTIONS)[number];
}
