import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, Not } from 'typeorm';
import type { Principal } from '@app/auth';
import { FieldErrorCollector, nowMicros, pkDoesNotExist, toIntegerPk } from '@app/common';
import { Token } from '../entities/token.entity';
import { User } from '../entities/user.entity';
import { PatchedTokenRequest, TokenRequest } from './dto/token-request.dto';
import { ownTokenProblems, ownTokensExpire } from './own-token-rules';
import { API_CREATABLE_INTENTS, DEFAULT_TOKEN_DURATION_MICROS, NewToken, TokenChanges } from './token-fields';

type Body = TokenRequest | PatchedTokenRequest;

/**
 * authentik's TokenSerializer and TokenViewSet.perform_create rules that need the database or
 * the caller: unique identifier and `managed` (Django's model messages), an existing `user`
 * that never changes once set, only `api`/`app_password` intents, the default expiry, a
 * non-superuser's tokens always being their own, and, on create and on every update, the
 * lifetime rules of own-token-rules.ts for callers who are not superusers.
 */
@Injectable()
export class TokenInput {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async forCreate(principal: Principal, body: TokenRequest): Promise<NewToken> {
    await this.checkFields(body, null);
    const intent = body.intent ?? 'api';
    this.checkIntent(intent);
    const changes = toChanges(body);
    const expires = changes.expires !== undefined ? changes.expires : nowMicros() + DEFAULT_TOKEN_DURATION_MICROS;
    if (principal.user.is_superuser) {
      const userId = changes.userId ?? principal.user.pk;
      return { ...changes, identifier: body.identifier, userId, intent, expiring: changes.expiring ?? true, expires };
    }
    // authentik's perform_create: the token is the caller's own, and expires as their attribute says.
    const owner = await this.ownerOf(principal.user.pk);
    const terms = { intent, expiring: ownTokensExpire(owner), expires };
    throwIfAny(ownTokenProblems(owner, null, terms, changes.expires !== undefined, nowMicros()));
    return { ...changes, ...terms, identifier: body.identifier, userId: principal.user.pk };
  }

  async forUpdate(principal: Principal, body: Body, token: Token): Promise<TokenChanges> {
    await this.checkFields(body, token);
    if (body.intent !== undefined) this.checkIntent(body.intent);
    const changes = toChanges(body);
    if (!principal.user.is_superuser) {
      const owner = await this.ownerOf(token.userId);
      const after = {
        intent: changes.intent ?? token.intent,
        expiring: changes.expiring ?? token.expiring,
        expires: changes.expires !== undefined ? changes.expires : token.expires,
      };
      throwIfAny(ownTokenProblems(owner, token, after, changes.expires !== undefined, nowMicros()));
    }
    return changes;
  }

  private async checkFields(body: Body, existing: Token | null): Promise<void> {
    const errors = new FieldErrorCollector();
    const tokens = this.dataSource.getRepository(Token);
    const others = existing ? { tokenUuid: Not(existing.tokenUuid) } : {};
    if (body.identifier !== undefined && (await tokens.count({ where: { ...others, identifier: body.identifier } }))) {
      errors.add('identifier', 'Token with this identifier already exists.');
    }
    if (typeof body.managed === 'string' && (await tokens.count({ where: { ...others, managed: body.managed } }))) {
      errors.add('managed', 'Token with this Managed by authentik already exists.');
    }
    if (body.user !== undefined) {
      const pk = toIntegerPk(body.user);
      if (!(await this.dataSource.getRepository(User).count({ where: { id: pk } }))) errors.add('user', pkDoesNotExist(body.user));
      else if (existing && existing.userId !== pk) errors.add('user', 'User cannot be changed');
    }
    errors.throwIfAny();
  }

  private checkIntent(intent: string): void {
    if (API_CREATABLE_INTENTS.includes(intent as never)) return;
    const errors = new FieldErrorCollector();
    errors.add('intent', `Invalid intent ${intent}`);
    errors.throwIfAny();
  }

  /** The owner's attributes; a user deleted meanwhile has none, so the default rules apply. */
  private async ownerOf(id: number): Promise<Pick<User, 'attributes'>> {
    return (await this.dataSource.getRepository(User).findOne({ where: { id } })) ?? { attributes: {} };
  }
}

function throwIfAny(problems: Record<string, string>): void {
  const errors = new FieldErrorCollector();
  for (const [field, problem] of Object.entries(problems)) errors.add(field, problem);
  errors.throwIfAny();
}

function toChanges(body: Body): TokenChanges {
  const changes: TokenChanges = {
    identifier: body.identifier,
    userId: body.user === undefined ? undefined : toIntegerPk(body.user),
    intent: body.intent,
    description: body.description,
    expires: body.expires,
    expiring: body.expiring,
    managed: body.managed,
  };
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as TokenChanges;
}
