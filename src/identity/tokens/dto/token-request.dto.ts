import { ApiProperty } from '@nestjs/swagger';
import { BooleanField, CharField, ChoiceField, DateTimeField, IntegerPkField, PatchedType } from '@app/common';
import { TOKEN_INTENTS, TokenIntent } from '../../entities/token.entity';

/** DRF SlugField's message (Token.identifier is a Django SlugField). */
export const SLUG_MESSAGE = 'Enter a valid "slug" consisting of letters, numbers, underscores or hyphens.';
const SLUG = { maxLength: 255, pattern: { regex: /^[-a-zA-Z0-9_]+$/, message: SLUG_MESSAGE } };

const DATE_TIME = { type: String, format: 'date-time', nullable: true, required: false } as const;

/** Token Serializer */
export class TokenRequest {
  /** Objects that are managed by authentik. This flag only indicates that an object can be overwritten by migrations. */
  @CharField({ nullable: true })
  managed?: string | null;

  @CharField({ required: true, ...SLUG })
  identifier!: string;

  @ChoiceField(TOKEN_INTENTS)
  intent?: TokenIntent;

  @IntegerPkField()
  user?: number;

  @CharField({ allowBlank: true })
  description?: string;

  @DateTimeField({ nullable: true })
  @ApiProperty(DATE_TIME)
  expires?: number | null;

  @BooleanField()
  expiring?: boolean;
}

/** Token Serializer */
export class PatchedTokenRequest extends PatchedType(TokenRequest) {}
