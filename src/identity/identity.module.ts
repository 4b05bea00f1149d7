import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthFailureLimiter, BearerAuthentication, BearerAuthGuard, TokenAuthenticator } from '@app/auth';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.token';
import { EventsModule } from '../events';
import { ModelAudit } from './audit/model-audit';
import { BootstrapService } from './bootstrap.service';
import { GroupMember } from './entities/group-member.entity';
import { GroupParent } from './entities/group-parent.entity';
import { GroupRole } from './entities/group-role.entity';
import { Group } from './entities/group.entity';
import { GroupInput } from './groups/group-input';
import { GroupPresenter } from './groups/group-presenter';
import { GroupsController } from './groups/groups.controller';
import { GroupsService } from './groups/groups.service';
import { GroupUsedBy } from './groups/group-used-by';
import { RoleMember } from './entities/role-member.entity';
import { RolePermission } from './entities/role-permission.entity';
import { Role } from './entities/role.entity';
import { Token } from './entities/token.entity';
import { User } from './entities/user.entity';
import { RolePermissionsController } from './permissions/role-permissions.controller';
import { RolePermissionsService } from './permissions/role-permissions.service';
import { RolesController } from './roles/roles.controller';
import { RolesService } from './roles/roles.service';
import { PrincipalCache } from './principal-cache';
import { DatabaseTokenAuthenticator } from './token-authenticator.service';
import { TokenKeyVault } from './token-keys';
import { TokenInput } from './tokens/token-input';
import { TokensController } from './tokens/tokens.controller';
import { TokensService } from './tokens/tokens.service';
import { UserIdentity } from './users/user-identity';
import { UserInput } from './users/user-input';
import { UserPresenter } from './users/user-presenter';
import { UsersController } from './users/users.controller';
import { UsersService } from './users/users.service';

/**
 * Users, API tokens, roles, groups and permissions (docs/api-contract.md §4). Owns authentication, so it registers the
 * global bearer guard with its token authenticator. Other modules inject the exported services;
 * their `create` / `update` / `remove` are the only writers of users, tokens and roles, and
 * record the model events through the events module's `EventRecorder` (`audit/model-audit.ts`).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([User, Token, Role, RoleMember, RolePermission, Group, GroupMember, GroupParent, GroupRole]),
    // authentik records model events from its audit middleware: that module is their `app`.
    EventsModule.forFeature('authentik.events.middleware'),
  ],
  controllers: [UsersController, TokensController, RolesController, RolePermissionsController, GroupsController],
  providers: [
    { provide: TokenKeyVault, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new TokenKeyVault(config.secretKey) },
    PrincipalCache,
    { provide: TokenAuthenticator, useClass: DatabaseTokenAuthenticator },
    {
      provide: AuthFailureLimiter,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new AuthFailureLimiter({ limit: config.authFailureLimit, windowMs: 60_000 }),
    },
    BearerAuthentication,
    { provide: APP_GUARD, useClass: BearerAuthGuard },
    { provide: UserIdentity, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new UserIdentity(config.secretKey) },
    UserPresenter,
    UserInput,
    UsersService,
    TokenInput,
    TokensService,
    RolesService,
    RolePermissionsService,
    GroupPresenter,
    GroupInput,
    GroupsService,
    GroupUsedBy,
    BootstrapService,
    ModelAudit,
  ],
  exports: [
    BearerAuthentication,
    UsersService,
    TokensService,
    RolesService,
    RolePermissionsService,
    GroupsService,
    GroupPresenter,
    GroupUsedBy,
    TokenKeyVault,
    UserIdentity,
  ],
})
export class IdentityModule {}
