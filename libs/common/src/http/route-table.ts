/** Fastify route config flag: a controller route that needs a valid token (see @app/auth authenticate-early). */
export const NEEDS_TOKEN = 'needsToken';

interface KnownRoute {
  method: string;
  pattern: RegExp;
  params: number;
  needsToken: boolean;
}

/**
 * Remembers every registered route so that a request whose path exists under another method
 * answers 405 (DRF) instead of the router's 404, after authentication when the path needs a token.
 */
export class RouteTable {
  private readonly routes: KnownRoute[] = [];

  add(methods: string | string[], url: string, needsToken = false): void {
    const segments = url.replace(/\/+$/, '').split('/');
    const source = segments
      .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    const pattern = new RegExp(`^${source}/?$`);
    const params = segments.filter((segment) => segment.startsWith(':')).length;
    for (const method of Array.isArray(methods) ? methods : [methods]) this.routes.push({ method, pattern, params, needsToken });
  }

  /**
   * Methods other than `method` that `url` answers to. The path belongs to its most specific
   * routes (fewest parameters: Django lists `users/me/` before `users/{id}/`), so `DELETE
   * users/me/` is a 405 although `DELETE users/{id}/` exists. Empty when the path is unknown, and
   * when `method` itself is one of the owners: the 404 then had another cause (an over-long
   * segment, a missing object).
   */
  otherMethods(method: string, url: string): string[] {
    return this.otherOwners(method, url).map((r) => r.method);
  }

  /** Whether `method` on `url` is a 405 of a path that needs a token (DRF authenticates first). */
  wrongMethodNeedsToken(method: string, url: string): boolean {
    return this.otherOwners(method, url).some((r) => r.needsToken);
  }

  private otherOwners(method: string, url: string): KnownRoute[] {
    const path = url.split('?')[0];
    const matching = this.routes.filter((r) => r.pattern.test(path));
    if (matching.length === 0) return [];
    const fewestParams = Math.min(...matching.map((r) => r.params));
    const owners = matching.filter((r) => r.params === fewestParams);
    if (owners.some((r) => r.method === method)) return [];
    return owners.filter((r) => r.method !== 'HEAD');
  }
}
