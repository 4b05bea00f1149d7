import { ApiProperty } from '@nestjs/swagger';
import { BooleanField, CharField, ChoiceField, DateTimeField } from '@app/common';
import { IntegerPkField } from '../../common/related-fields';
import { TOKEN_INTENTS, TokenIntent } from '../../entities/token.entity';

/** DRF SlugField's message (Token.identifier is a Django SlugField). */
export const SLUG_MESSAGE = 'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.';
const SLUG = { maxLength: 255, pattern: { regex: /^[-a-zA-Z0-9_]+$/, message: SLUG_MESSAGE } };

const Managed = CharField({ nullable: true });
const Intent = ChoiceField(TOKEN_INTENTS);
const UserPk = IntegerPkField();
const Description = CharField({ allowBlank: true });
const Expires = DateTimeField({ nullable: true });
const Expiring = BooleanField();
const DATE_TIME = { type: String, format: 'date-time', nullable: true, required: false } as const;

/** Token Serializer */
export class TokenRequest {
  /** Objects that are managed by authentik. This flag only indicates that an object can be overwritten by migrations. */
  @Managed
  managed?: string | null;

  @CharField({ required: true, ...SLUG })
  identifier!: string;

  @Intent
  intent?: TokenIntent;

  @UserPk
  user?: number;

  @Description
  description?: string;

  @Expires
  @ApiProperty(DATE_TIME)
  expires?: number | null;

  @Expiring
  expiring?: boolean;
}

/** Token Serializer */
export class PatchedTokenRequest {
  /** Objects that are managed by authentik. This flag only indicates that an object can be overwritten by migrations. */
  @Managed
  managed?: string | null;

  @CharField(SLUG)
  identifier?: string;

  @Intent
  intent?: TokenIntent;

  @UserPk
  user?: number;

  @Description
  description?: string;

  @Expires
  @ApiProperty(DATE_TIME)
  expires?: number | null;

  @Expiring
  expiring?: boolean;
}
