import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { nowMicros } from '@app/common';
import { Principal, TokenAuthenticator } from '@app/auth';
import { effectiveAccess } from './groups/group-hierarchy';
import { Token } from './entities/token.entity';
import { PrincipalCache } from './principal-cache';
import { TokenKeyVault } from './token-keys';

/**
 * Resolves a bearer key to its user and permissions: the token must have intent `api`, must not
 * have expired (when `expiring`), and its user must be active (authentik's `bearer_auth`).
 * Superuser status and permissions come from the user's roles and groups (group-hierarchy.ts).
 */
@Injectable()
export class DatabaseTokenAuthenticator extends TokenAuthenticator {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly vault: TokenKeyVault,
    private readonly cache: PrincipalCache,
  ) {
    super();
  }

  async authenticate(key: string): Promise<Principal | null> {
    const digest = this.vault.digest(key);
    const cached = this.cache.get(digest);
    if (cached) return cached;
    const resolved = await this.lookUp(digest);
    if (resolved) this.cache.set(digest, resolved.principal, resolved.expiresAtMs);
    return resolved?.principal ?? null;
  }

  private async lookUp(digest: string): Promise<{ principal: Principal; expiresAtMs: number | null } | null> {
    const token = await this.dataSource
      .getRepository(Token)
      .createQueryBuilder('token')
      .innerJoinAndSelect('token.user', 'user')
      .where('token.keyDigest = :digest', { digest })
      .andWhere('token.intent = :intent', { intent: 'api' })
      // An expiring token without a date has no end (authentik only expires `expires < now`).
      .andWhere('(token.expiring = :notExpiring OR token.expires IS NULL OR token.expires > :now)', {
        notExpiring: false,
        now: nowMicros(),
      })
      .getOne();
    if (!token?.user || !token.user.isActive) return null;
    const user = token.user;
    const access = await effectiveAccess(this.dataSource.manager, user.id);
    const principal: Principal = {
      user: {
        pk: user.id,
        uuid: user.uuid,
        username: user.username,
        name: user.name,
        email: user.email,
        is_superuser: access.isSuperuser,
      },
      permissions: new Set(access.permissions),
      tokenIdentifier: token.identifier,
    };
    const expiresAtMs = token.expiring && token.expires !== null ? Math.floor(token.expires / 1000) : null;
    return { principal, expiresAtMs };
  }
}
