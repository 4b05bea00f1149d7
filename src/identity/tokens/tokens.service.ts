import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { Principal } from '@app/auth';
import { fetchPage, formatMicros, ListQuery, noMatch, Paginated, translateUniqueViolation } from '@app/common';
import { auditedUpdate } from '../audit/audited-change';
import { AuditOrigin, ModelAudit } from '../audit/model-audit';
import { tokenState } from '../audit/model-states';
import type { AppConfig } from '../../config/app-config';
import { InjectConfig } from '../../config/config.token';
import { Token } from '../entities/token.entity';
import { TokenKeyVault, generateTokenKey } from '../token-keys';
import { UserPresenter } from '../users/user-presenter';
import { PatchedTokenRequest, TokenRequest } from './dto/token-request.dto';
import { TokenResponse, TokenViewResponse } from './dto/token.dto';
import { NewToken, TokenChanges } from './token-fields';
import { TokenInput } from './token-input';
import { tokenListQuery, visibleTokens } from './tokens.query';

const IDENTIFIER_TAKEN = 'Token with this identifier already exists.';

/**
 * API tokens (`/api/v3/core/tokens/`). A non-superuser sees and manages only their own tokens;
 * others' are 404 (not 403), as authentik hides objects one cannot see. `create`, `update` and
 * `remove` are the only code paths that write a token (model events belong there).
 */
@Injectable()
export class TokensService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly vault: TokenKeyVault,
    private readonly input: TokenInput,
    private readonly users: UserPresenter,
    private readonly audit: ModelAudit,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async list(principal: Principal, query: ListQuery): Promise<Paginated<TokenResponse>> {
    const { pagination, rows } = await fetchPage(tokenListQuery(this.dataSource, principal, query), query, this.config.pagination);
    return { pagination, results: await this.present(rows), autocomplete: {} };
  }

  async retrieve(principal: Principal, identifier: string): Promise<TokenResponse> {
    return (await this.present([await this.findVisible(principal, identifier)]))[0];
  }

  /**
   * The plain key, for the token's owner or a superuser (the only callers who can see it);
   * records `secret_view` naming the token, by `principal` unless `origin` says otherwise.
   */
  async viewKey(principal: Principal, identifier: string, origin?: AuditOrigin): Promise<TokenViewResponse> {
    const token = await this.findVisible(principal, identifier);
    await this.audit.secretViewed(token, { actor: principal, ...origin });
    return { key: this.vault.decrypt(token.keyEncrypted) };
  }

  async createFromRequest(principal: Principal, body: TokenRequest, origin?: AuditOrigin): Promise<TokenResponse> {
    const fields = await this.input.forCreate(principal, body);
    const token = await this.dataSource.transaction((m) => this.create(fields, m, origin));
    return this.retrieve(principal, token.identifier);
  }

  /**
   * PUT: writes the fields sent, as PATCH does (no token field has a default to fall back to); the
   * two differ only in what the body must contain (`identifier`).
   */
  async replace(principal: Principal, identifier: string, body: TokenRequest, origin?: AuditOrigin): Promise<TokenResponse> {
    return this.applyChanges(principal, identifier, body, origin);
  }

  /** PATCH: only the fields sent. */
  async patch(principal: Principal, identifier: string, body: PatchedTokenRequest, origin?: AuditOrigin): Promise<TokenResponse> {
    return this.applyChanges(principal, identifier, body, origin);
  }

  private async applyChanges(
    principal: Principal,
    identifier: string,
    body: TokenRequest | PatchedTokenRequest,
    origin?: AuditOrigin,
  ): Promise<TokenResponse> {
    const token = await this.findVisible(principal, identifier);
    const changes = await this.input.forUpdate(principal, body, token);
    const updated = await this.dataSource.transaction((m) => this.update(token, changes, m, origin));
    return this.retrieve(principal, updated.identifier);
  }

  async destroy(principal: Principal, identifier: string, origin?: AuditOrigin): Promise<void> {
    const token = await this.findVisible(principal, identifier);
    await this.dataSource.transaction((m) => this.remove(token, m, origin));
  }

  async findVisible(principal: Principal, identifier: string): Promise<Token> {
    const token = await visibleTokens(this.dataSource, principal).andWhere('token.identifier = :identifier', { identifier }).getOne();
    if (!token) throw noMatch('Token');
    return token;
  }

  async findByIdentifier(identifier: string, m: EntityManager = this.dataSource.manager): Promise<Token | null> {
    return m.findOne(Token, { where: { identifier } });
  }

  /**
   * The one way a token comes into being; a key is generated unless one is given. Records
   * `model_created` (in `m`'s transaction); `origin`: the request or actor behind it, if any.
   */
  async create(fields: NewToken, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<Token> {
    const { key = generateTokenKey(), ...columns } = fields;
    const token = m.create(Token, {
      tokenUuid: randomUUID(),
      intent: 'verification',
      description: '',
      expires: null,
      expiring: true,
      managed: null,
      ...columns,
      ...this.sealKey(key),
    });
    await translateUniqueViolation(() => m.insert(Token, token as QueryDeepPartialEntity<Token>), 'identifier', IDENTIFIER_TAKEN);
    await this.audit.created(token, origin, m);
    return token;
  }

  /** The one way a token changes (including its key); records `model_updated` with the diff. */
  async update(token: Token, changes: TokenChanges, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<Token> {
    const { key, ...columns } = changes;
    const written = { ...columns, ...(key !== undefined ? this.sealKey(key) : {}) };
    return auditedUpdate(
      this.audit,
      {
        before: () => tokenState(token),
        apply: async (tx) => {
          if (Object.keys(written).length) {
            await translateUniqueViolation(
              () => tx.update(Token, { tokenUuid: token.tokenUuid }, written as QueryDeepPartialEntity<Token>),
              'identifier',
              IDENTIFIER_TAKEN,
            );
          }
          return tx.create(Token, { ...token, ...written });
        },
        after: tokenState,
      },
      m,
      origin,
    );
  }

  /** The one way a token goes. */
  async remove(token: Token, m: EntityManager = this.dataSource.manager, origin?: AuditOrigin): Promise<void> {
    await m.delete(Token, { tokenUuid: token.tokenUuid });
    await this.audit.deleted(token, origin, m);
  }

  private sealKey(key: string): Pick<Token, 'keyDigest' | 'keyEncrypted'> {
    return { keyDigest: this.vault.digest(key), keyEncrypted: this.vault.encrypt(key) };
  }

  private async present(tokens: Token[]): Promise<TokenResponse[]> {
    const owners = await this.users.present(tokens.map((token) => token.user!));
    return tokens.map((token, i) => ({
      pk: token.tokenUuid,
      managed: token.managed,
      identifier: token.identifier,
      intent: token.intent,
      user: token.userId,
      user_obj: owners[i],
      description: token.description,
      expires: formatMicros(token.expires),
      expiring: token.expiring,
    }));
  }
}
