import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { Token } from './entities/token.entity';
import { User } from './entities/user.entity';
import { TokenKeyVault, generateTokenKey } from './token-keys';
import { TokensService } from './tokens/tokens.service';
import { UsersService } from './users/users.service';

export const ADMIN_USERNAME = 'akadmin';
export const BOOTSTRAP_TOKEN_IDENTIFIER = 'authentik-bootstrap-token';
export const ADMIN_TOKEN_FILE = 'admin-token';

/**
 * First start (SPEC §4.1). With AUTHENTIK_BOOTSTRAP_TOKEN: make sure `akadmin` exists as a
 * superuser and that key works as a non-expiring API token. Without it, on an empty database:
 * create `akadmin` with a random token and write the key to an owner-only file, logging only
 * the file's path.
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
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.bootstrapToken) {
      await this.dataSource.transaction((m) => this.ensureAdminToken(m, this.config.bootstrapToken!));
      this.logger.log(`bootstrap token "${BOOTSTRAP_TOKEN_IDENTIFIER}" is ready for ${ADMIN_USERNAME}`);
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
      this.logger.log(`admin token: ${path}, written on the first start, is gone; set AUTHENTIK_BOOTSTRAP_TOKEN to give ${ADMIN_USERNAME} a token`);
    }
  }

  private async ensureAdminToken(m: EntityManager, key: string): Promise<void> {
    let admin = await this.users.findByUsername(ADMIN_USERNAME, m);
    if (!admin) {
      admin = await this.users.create({ username: ADMIN_USERNAME, name: 'authentik Default Admin', isSuperuser: true }, m);
    } else if (!admin.isSuperuser || !admin.isActive) {
      admin = await this.users.update(admin, { isSuperuser: true, isActive: true }, m);
    }
    const fields = { key, intent: 'api' as const, userId: admin.id, expiring: false, expires: null };
    const existing = await this.tokens.findByIdentifier(BOOTSTRAP_TOKEN_IDENTIFIER, m);
    if (!existing) {
      await this.tokens.create({ ...fields, identifier: BOOTSTRAP_TOKEN_IDENTIFIER, description: 'Token used to bootstrap the instance' }, m);
    } else if (!this.isUsable(existing, admin.id, key)) {
      await this.tokens.update(existing, fields, m);
    }
  }

  /** Restarts with the same key change nothing (no needless rewrite, no spurious model event). */
  private isUsable(token: Token, adminId: number, key: string): boolean {
    return token.keyDigest === this.vault.digest(key) && token.userId === adminId && token.intent === 'api' && !token.expiring;
  }
}
