import { randomBytes, randomUUID } from 'node:crypto';
import { nowMicros } from '@app/common';
import { GroupMember } from '../../src/identity/entities/group-member.entity';
import { Group } from '../../src/identity/entities/group.entity';
import { RoleMember } from '../../src/identity/entities/role-member.entity';
import { RolePermission } from '../../src/identity/entities/role-permission.entity';
import { Role } from '../../src/identity/entities/role.entity';
import { Token } from '../../src/identity/entities/token.entity';
import { User } from '../../src/identity/entities/user.entity';
import { TokenKeyVault } from '../../src/identity/token-keys';
import { ApiClient } from './api-client';
import type { TestApp } from './test-app';

export interface UserFixture {
  pk: number;
  username: string;
  key: string;
  tokenIdentifier: string;
  /** An API client authenticated with this user's token. */
  client: ApiClient;
}

export interface UserFixtureOptions {
  username?: string;
  /** Global permissions granted through a role of the user's own. */
  permissions?: string[];
  superuser?: boolean;
  active?: boolean;
  /** Token expiry in microseconds since the epoch; the token is expiring when set. */
  tokenExpires?: number;
  intent?: Token['intent'];
}

/**
 * A user with an API token, written straight into the test database (setup only; what is
 * under test always goes through HTTP).
 */
export async function createUserWithToken(t: TestApp, options: UserFixtureOptions = {}): Promise<UserFixture> {
  const suffix = randomBytes(4).toString('hex');
  const username = options.username ?? `user-${suffix}`;
  const key = `key-${randomBytes(20).toString('hex')}`;
  const vault = new TokenKeyVault(t.config.secretKey);
  const now = nowMicros();
  const users = t.dataSource.getRepository(User);
  const user = await users.save(
    users.create({
      uuid: randomUUID(),
      username,
      name: username,
      email: `${username}@example.com`,
      isActive: options.active ?? true,
      dateJoined: now,
      lastUpdated: now,
      lastLogin: null,
      passwordChangeDate: null,
      path: 'users',
      type: 'internal',
      attributes: {},
    }),
  );
  if (options.superuser) {
    // Superuser status is membership of an `is_superuser` group, as in authentik.
    const groupUuid = randomUUID();
    await t.dataSource.getRepository(Group).insert({ groupUuid, name: `superusers-${suffix}`, isSuperuser: true, attributes: {} });
    await t.dataSource.getRepository(GroupMember).insert({ groupUuid, userId: user.id });
  }
  const tokenIdentifier = `token-${suffix}`;
  await t.dataSource.getRepository(Token).insert({
    tokenUuid: randomUUID(),
    identifier: tokenIdentifier,
    keyDigest: vault.digest(key),
    keyEncrypted: vault.encrypt(key),
    intent: options.intent ?? 'api',
    userId: user.id,
    description: '',
    expiring: options.tokenExpires !== undefined,
    expires: options.tokenExpires ?? null,
    managed: null,
  });
  if (options.permissions?.length) {
    const roleUuid = randomUUID();
    await t.dataSource.getRepository(Role).insert({ uuid: roleUuid, name: `role-${suffix}` });
    await t.dataSource.getRepository(RoleMember).insert({ roleUuid, userId: user.id });
    await t.dataSource.getRepository(RolePermission).insert(options.permissions.map((codename) => ({ roleUuid, codename })));
  }
  return { pk: user.id, username, key, tokenIdentifier, client: new ApiClient(t.baseUrl, key) };
}
