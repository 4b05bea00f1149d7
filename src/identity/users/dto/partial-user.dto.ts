import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** authentik's `PartialUser`: who requested an export. */
@ApiSchema({ name: 'PartialUser', description: 'Partial User Serializer, does not include child relations.' })
export class PartialUserDto {
  @ApiProperty({ type: 'integer', readOnly: true, title: 'ID' }) pk: number;
  @ApiProperty({
    type: 'string',
    description: 'Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.',
    pattern: '^[\\w.@+-]+$',
    maxLength: 150,
  })
  username: string;
  @ApiProperty({ type: 'string', description: "User's display name." }) name: string;
  @ApiPropertyOptional({
    type: 'boolean',
    title: 'Active',
    description: 'Designates whether this user should be treated as active. Unselect this instead of deleting accounts.',
  })
  is_active: boolean;
  @ApiPropertyOptional({ type: 'string', format: 'date-time', nullable: true }) last_login: string | null;
  @ApiPropertyOptional({ type: 'string', format: 'email', title: 'Email address', maxLength: 254 }) email: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: {} }) attributes: Record<string, unknown>;
  @ApiProperty({ type: 'string', readOnly: true }) uid: string;
}
