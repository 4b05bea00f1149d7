/**
 * Remembers every registered route so that a request whose path exists under another method
 * answers 405 (DRF) instead of the router's 404.
 */
export class RouteTable {
  private readonly routes: { method: string; pattern: RegExp }[] = [];

  add(methods: string | string[], url: string): void {
    const source = url
      .replace(/\/+$/, '')
      .split('/')
      .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/');
    const pattern = new RegExp(`^${source}/?$`);
    for (const method of Array.isArray(methods) ? methods : [methods]) this.routes.push({ method, pattern });
  }

  /** Methods other than `method` that `url` answers to (empty when the path is unknown). */
  otherMethods(method: string, url: string): string[] {
    const path = url.split('?')[0];
    return this.routes
      .filter((r) => r.method !== method && r.method !== 'HEAD' && r.pattern.test(path))
      .map((r) => r.method);
  }
}
