import { CanActivate, ExecutionContext, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ErrorDetail, forbidden } from '@app/common';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { PERMISSION_KEY, PUBLIC_KEY, SUPERUSER_KEY } from './auth.decorators';
import { Principal, TokenAuthenticator, hasPermission } from './principal';

/** What the `Authorization` header asks for, following authentik's `validate_auth`. */
export type BearerHeader = { kind: 'none' } | { kind: 'unsupported' } | { kind: 'bearer'; key: string };

export function parseAuthorizationHeader(header: string | undefined): BearerHeader {
  const text = (header ?? '').trim();
  if (text === '' || !text.includes(' ')) return { kind: 'none' };
  const space = text.indexOf(' ');
  const scheme = text.slice(0, space);
  const key = text.slice(space + 1);
  if (scheme.toLowerCase() !== 'bearer') return { kind: 'unsupported' };
  return { kind: 'bearer', key };
}

/**
 * The global guard: every route needs a valid API token unless marked `@Public()`. All failures
 * are 403 with authentik's details, and no `WWW-Authenticate` header is ever sent.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenAuthenticator,
    @Optional() private readonly limiter?: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;

    const request = context.switchToHttp().getRequest();
    const principal = await this.authenticate(request.headers?.authorization, request.ip);
    request.principal = principal;

    const permission = this.reflector.getAllAndOverride<string | undefined>(PERMISSION_KEY, targets);
    if (permission && !hasPermission(principal, permission)) throw forbidden();
    if (this.reflector.getAllAndOverride<boolean>(SUPERUSER_KEY, targets) && !principal.user.is_superuser) {
      throw forbidden();
    }
    return true;
  }

  private async authenticate(header: string | undefined, client: string): Promise<Principal> {
    const parsed = parseAuthorizationHeader(header);
    if (parsed.kind === 'none') throw forbidden(ErrorDetail.notAuthenticated);
    if (parsed.kind === 'unsupported') throw await this.failure(client, ErrorDetail.unsupportedAuth);
    // Keys are 60 characters; anything huge is refused before it is hashed and looked up.
    if (parsed.key === '' || parsed.key.length > 1024) throw await this.failure(client, ErrorDetail.tokenInvalid);
    const principal = await this.tokens.authenticate(parsed.key);
    if (!principal) throw await this.failure(client, ErrorDetail.tokenInvalid);
    return principal;
  }

  /** The 403 for a failed authentication, or a 429 once the client has failed too often. */
  private async failure(client: string, detail: string) {
    return (await this.limiter?.recordFailure(client)) ?? forbidden(detail);
  }
}
