import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { Group } from './entities/group.entity';
import { Token } from './entities/token.entity';
import { User } from './entities/user.entity';
import { allSuperuserIds, superusersAmong } from './groups/group-hierarchy';
import { GroupsService } from './groups/groups.service';
import { TokenKeyVault, generateTokenKey } from './token-keys';
import { TokensService } from './tokens/tokens.service';
import { UsersService } from './users/users.service';

export const ADMIN_USERNAME = 'akadmin';
export const BOOTSTRAP_TOKEN_IDENTIFIER = 'authentik-bootstrap-token';
export const ADMIN_TOKEN_FILE = 'admin-token';
/** authentik's superuser group (its default blueprint creates it). */
export const ADMINS_GROUP = 'authentik Admins';

const ORPHANED =
  `AUTHENTIK_BOOTSTRAP_TOKEN not applied: the bootstrap admin and its token are gone, no superuser is left, ` +
  `and the username ${ADMIN_USERNAME} belongs to an ordinary user, who is not promoted. ` +
  `Free that name (or create a superuser) and restart.`;

/**
 * First start (docs/api-contract.md §4.1). With AUTHENTIK_BOOTSTRAP_TOKEN: make sure the bootstrap admin exists as
 * a superuser and that key works as its non-expiring API token. Without it, on an empty database:
 * create `akadmin` with a random token and write the key to an owner-only file, logging only
 * the file's path.
 *
 * The bootstrap admin is a fixed identity, the owner of the bootstrap token, never "whoever is
 * called akadmin": any holder of `change_user` can rename users, so a name would let them take
 * over superuser status at the next restart (issue 13). authentik sidesteps this by running its
 * bootstrap blueprint once and then deleting it.
 *
 * Superuser status is membership of an `is_superuser` group, as in authentik: the admin is put in
 * `authentik Admins` (created with the flag when missing). A group merely named so is not trusted
 * either: only the flag counts, and an ordinary group holding the name is left alone.
 */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bootstrap');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectConfig() private readonly config: AppConfig,
    private readonly vault: TokenKeyVault,
    private readonly users: UsersService,
    private readonly tokens: TokensService,
    private readonly groups: GroupsService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.bootstrapToken) {
      const admin = await this.dataSource.transaction((m) => this.ensureAdminToken(m, this.config.bootstrapToken!));
      if (admin) this.logger.log(`bootstrap token "${BOOTSTRAP_TOKEN_IDENTIFIER}" is ready for user ${admin.id} (${admin.username})`);
      else this.logger.error(ORPHANED);
      return;
    }
    const key = generateTokenKey();
    const created = await this.dataSource.transaction(async (m) => {
      if ((await m.count(User)) > 0) return false;
      await this.ensureAdminToken(m, key);
      return true;
    });
    const path = resolve(join(this.config.dataDir, ADMIN_TOKEN_FILE));
    if (!created) return this.sayWhereTheTokenIs(path);
    mkdirSync(this.config.dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(path, `${key}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
    this.logger.log(`admin token: created user ${ADMIN_USERNAME}; its API token was written to ${path} (readable only by this account)`);
  }

  /** Every start says where the admin token is, not only the first: the first start's log is long gone. */
  private sayWhereTheTokenIs(path: string): void {
    if (existsSync(path)) {
      this.logger.log(`admin token: the API token of ${ADMIN_USERNAME} is still in ${path} (written on the first start)`);
    } else {
      this.logger.log(
        `admin token: ${path}, written on the first start, is gone; set AUTHENTIK_BOOTSTRAP_TOKEN to give ${ADMIN_USERNAME} a token`,
      );
    }
  }

  /** The admin the key now belongs to; null when there is no one it may safely go to. */
  private async ensureAdminToken(m: EntityManager, key: string): Promise<User | null> {
    const existing = await this.tokens.findByIdentifier(BOOTSTRAP_TOKEN_IDENTIFIER, m);
    let admin = await this.findOrCreateAdmin(m, existing);
    if (!admin) return null;
    if (!admin.isActive) admin = await this.users.update(admin, { isActive: true }, m);
    if (!(await superusersAmong(m, [admin.id])).has(admin.id)) await this.groups.addMember(await this.adminsGroup(m), admin, m);
    const fields = { key, intent: 'api' as const, userId: admin.id, expiring: false, expires: null };
    if (!existing) {
      await this.tokens.create(
        { ...fields, identifier: BOOTSTRAP_TOKEN_IDENTIFIER, description: 'Token used to bootstrap the instance' },
        m,
      );
    } else if (!this.isUsable(existing, admin.id, key)) {
      await this.tokens.update(existing, fields, m);
    }
    return admin;
  }

  /**
   * The bootstrap token's owner while a superuser (a member of a superuser group: only callers who
   * may already grant superuser status can make someone one; once the real token is deleted anyone
   * may create one under its identifier, hence the check); otherwise the earliest superuser;
   * without any, a new `akadmin`, unless an ordinary user already holds that name: they are never
   * promoted.
   */
  private async findOrCreateAdmin(m: EntityManager, token: Token | null): Promise<User | null> {
    const owner = token && (await m.findOne(User, { where: { id: token.userId } }));
    if (owner && (await superusersAmong(m, [owner.id])).has(owner.id)) return owner;
    const [earliest] = await allSuperuserIds(m);
    const superuser = earliest === undefined ? null : await m.findOne(User, { where: { id: earliest } });
    if (superuser) return superuser;
    if (await this.users.findByUsername(ADMIN_USERNAME, m)) return null;
    return this.users.create({ username: ADMIN_USERNAME, name: 'authentik Default Admin' }, m);
  }

  /** `authentik Admins` if it is a superuser group, else another superuser group, else a new one. */
  private async adminsGroup(m: EntityManager): Promise<Group> {
    const flagged = await m.find(Group, { where: { isSuperuser: true }, order: { name: 'ASC' } });
    const existing = flagged.find((group) => group.name === ADMINS_GROUP) ?? flagged[0];
    if (existing) return existing;
    const taken = await m.count(Group, { where: { name: ADMINS_GROUP } });
    return this.groups.create({ name: taken ? `${ADMINS_GROUP} (bootstrap)` : ADMINS_GROUP, isSuperuser: true, attributes: {} }, m);
  }

  /** Restarts with the same key change nothing (no needless rewrite, no spurious model event). */
  private isUsable(token: Token, adminId: number, key: string): boolean {
    return token.keyDigest === this.vault.digest(key) && token.userId === adminId && token.intent === 'api' && !token.expiring;
  }
}
