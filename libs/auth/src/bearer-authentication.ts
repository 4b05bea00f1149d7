import { Injectable, Optional } from '@nestjs/common';
import { ErrorDetail, forbidden } from '@app/common';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { Principal, TokenAuthenticator } from './principal';

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
 * Turns a request's `Authorization` header into its principal, or throws authentik's 403 (no
 * `WWW-Authenticate` header, ever). Used before the body is read (authenticate-early.ts) and by the
 * guard; a client blocked by the failure limiter gets its 429 before its key is even looked at.
 */
@Injectable()
export class BearerAuthentication {
  constructor(
    private readonly tokens: TokenAuthenticator,
    @Optional() private readonly limiter?: AuthFailureLimiter,
  ) {}

  async authenticate(header: string | undefined, client: string): Promise<Principal> {
    const refusal = this.limiter?.refusal(client);
    if (refusal) throw refusal;
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
