import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthFailureLimiter, BearerAuthGuard, TokenAuthenticator } from '@app/auth';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.token';
import { BootstrapService } from './bootstrap.service';
import { RoleMember } from './entities/role-member.entity';
import { RolePermission } from './entities/role-permission.entity';
import { Role } from './entities/role.entity';
import { Token } from './entities/token.entity';
import { User } from './entities/user.entity';
import { DatabaseTokenAuthenticator } from './token-authenticator.service';
import { TokenKeyVault } from './token-keys';

/**
 * Users, API tokens, roles and permissions (SPEC §4). Owns authentication, so it registers the
 * global bearer guard with its token authenticator.
 */
@Module({
  imports: [TypeOrmModule.forFeature([User, Token, Role, RoleMember, RolePermission])],
  providers: [
    { provide: TokenKeyVault, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new TokenKeyVault(config.secretKey) },
    { provide: TokenAuthenticator, useClass: DatabaseTokenAuthenticator },
    {
      provide: AuthFailureLimiter,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new AuthFailureLimiter({ limit: config.authFailureLimit, windowMs: 60_000 }),
    },
    { provide: APP_GUARD, useClass: BearerAuthGuard },
    BootstrapService,
  ],
})
export class IdentityModule {}
