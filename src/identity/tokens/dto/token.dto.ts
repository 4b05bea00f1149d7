import { ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, PaginationSchema } from '@app/common';
import { UserResponse } from '../../users/dto/user.dto';
import { TokenIntent } from '../../entities/token.entity';

/** Token Serializer */
@ApiSchema({ name: 'Token' })
export class TokenResponse {
  pk!: string;
  /** Objects that are managed by authentik. These objects are created and updated automatically. */
  managed?: string | null;
  identifier!: string;
  intent?: TokenIntent;
  user?: number;
  user_obj!: UserResponse;
  description?: string;
  expires?: string | null;
  expiring?: boolean;
}

@ApiSchema({ name: 'PaginatedTokenList' })
export class PaginatedTokenList {
  pagination!: PaginationSchema;
  results!: TokenResponse[];
  autocomplete!: AutocompleteSchema;
}

/** Show token's current key */
@ApiSchema({ name: 'TokenView' })
export class TokenViewResponse {
  key!: string;
}
