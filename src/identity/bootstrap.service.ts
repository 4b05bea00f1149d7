import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { nowMicros } from '@app/common';
import type { AppConfig } from '../config/app-config';
import { InjectConfig } from '../config/config.token';
import { Token } from './entities/token.entity';
import { User } from './entities/user.entity';
import { TokenKeyVault, generateTokenKey } from './token-keys';

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
    if (!created) return;
    const path = resolve(join(this.config.dataDir, ADMIN_TOKEN_FILE));
    mkdirSync(this.config.dataDir, { recursive: true, mode: 0o700 });
    writeFileSync(path, `${key}\n`, { mode: 0o600 });
    chmodSync(path, 0o600);
    this.logger.log(`created user ${ADMIN_USERNAME}; its API token is in ${path} (readable only by this account)`);
  }

  private async ensureAdminToken(m: EntityManager, key: string): Promise<void> {
    const now = nowMicros();
    let admin = await m.findOne(User, { where: { username: ADMIN_USERNAME } });
    if (!admin) {
      admin = await m.save(
        m.create(User, {
          uuid: randomUUID(),
          username: ADMIN_USERNAME,
          name: 'authentik Default Admin',
          email: '',
          isActive: true,
          isSuperuser: true,
          dateJoined: now,
          lastUpdated: now,
          lastLogin: null,
          passwordChangeDate: null,
          path: 'users',
          type: 'internal',
          attributes: {},
        }),
      );
    } else if (!admin.isSuperuser || !admin.isActive) {
      await m.update(User, { id: admin.id }, { isSuperuser: true, isActive: true, lastUpdated: now });
    }
    const fields = {
      keyDigest: this.vault.digest(key),
      keyEncrypted: this.vault.encrypt(key),
      intent: 'api' as const,
      userId: admin.id,
      expiring: false,
      expires: null,
    };
    const existing = await m.findOne(Token, { where: { identifier: BOOTSTRAP_TOKEN_IDENTIFIER } });
    if (existing) {
      await m.update(Token, { tokenUuid: existing.tokenUuid }, fields);
    } else {
      await m.insert(Token, {
        ...fields,
        tokenUuid: randomUUID(),
        identifier: BOOTSTRAP_TOKEN_IDENTIFIER,
        description: 'Token used to bootstrap the instance',
        managed: null,
      });
    }
  }
}
