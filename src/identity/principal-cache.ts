import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { DataSource, EntitySubscriberInterface } from 'typeorm';
import type { Principal } from '@app/auth';
import { GroupMember } from './entities/group-member.entity';
import { GroupParent } from './entities/group-parent.entity';
import { GroupRole } from './entities/group-role.entity';
import { Group } from './entities/group.entity';
import { RoleMember } from './entities/role-member.entity';
import { RolePermission } from './entities/role-permission.entity';
import { Role } from './entities/role.entity';
import { Token } from './entities/token.entity';
import { User } from './entities/user.entity';

/** How long a resolved token is trusted without asking the database again. */
export const PRINCIPAL_TTL_MS = 5_000;

const IDENTITY_TABLES = new Set<unknown>([User, Token, Role, RoleMember, RolePermission, Group, GroupMember, GroupParent, GroupRole]);

/**
 * Resolved bearer tokens, by key digest, so that a busy client costs one lookup every few
 * seconds instead of a few queries per request. Any write to users, tokens, roles, groups (their
 * flags, hierarchy, roles and members), memberships or permissions made by this process empties the cache at once (a TypeORM subscriber, so no write
 * path can forget it); another instance's changes are seen within PRINCIPAL_TTL_MS. Unknown
 * keys are never cached.
 */
@Injectable()
export class PrincipalCache implements EntitySubscriberInterface {
  private readonly entries = new LRUCache<string, Principal>({ max: 10_000, ttl: PRINCIPAL_TTL_MS });

  constructor(@InjectDataSource() dataSource: DataSource) {
    dataSource.subscribers.push(this);
  }

  get(digest: string): Principal | undefined {
    return this.entries.get(digest);
  }

  /** Caches `principal` no longer than its token lives (`expiresAtMs`, null = no end). */
  set(digest: string, principal: Principal, expiresAtMs: number | null): void {
    const ttl = expiresAtMs === null ? PRINCIPAL_TTL_MS : Math.min(PRINCIPAL_TTL_MS, expiresAtMs - Date.now());
    if (ttl > 0) this.entries.set(digest, principal, { ttl });
  }

  clear(): void {
    this.entries.clear();
  }

  afterInsert(event: { metadata: { target: unknown } }): void {
    this.clearFor(event.metadata.target);
  }

  afterUpdate(event: { metadata: { target: unknown } }): void {
    this.clearFor(event.metadata.target);
  }

  afterRemove(event: { metadata: { target: unknown } }): void {
    this.clearFor(event.metadata.target);
  }

  private clearFor(target: unknown): void {
    if (IDENTITY_TABLES.has(target)) this.clear();
  }
}
