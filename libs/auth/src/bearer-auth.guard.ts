import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden } from '@app/common';
import { PERMISSION_KEY, PUBLIC_KEY, SUPERUSER_KEY } from './auth.decorators';
import { BearerAuthentication } from './bearer-authentication';
import type { PermissionName } from './permissions';
import { Principal, hasPermission } from './principal';

/**
 * The global guard: every route needs a valid API token unless marked `@Public()`. The token is
 * normally checked already, before the body was read (authenticate-early.ts); the guard then only
 * checks permissions. All failures are 403 with authentik's details.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authentication: BearerAuthentication,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest();
    const principal: Principal = request.principal ?? (await this.authentication.authenticate(request.headers?.authorization, request.ip));
    request.principal = principal;

    const permission = this.reflector.getAllAndOverride<PermissionName | undefined>(PERMISSION_KEY, targets);
    if (permission && !hasPermission(principal, permission)) throw forbidden();
    if (this.reflector.getAllAndOverride<boolean>(SUPERUSER_KEY, targets) && !principal.user.is_superuser) {
      throw forbidden();
    }
    return true;
  }
}
