import { createHash } from 'node:crypto';

/**
 * Derived, read-only user facts authentik exposes: `uid` (a stable hash of the pk and an
 * instance-wide identifier, so it differs between installations) and `avatar`.
 */
export class UserIdentity {
  private readonly instanceId: string;

  constructor(secret: string) {
    // Derived from the secret so it is stable across restarts without revealing the secret.
    this.instanceId = createHash('sha256').update(`eventlog instance id\0${secret}`).digest('hex');
  }

  uid(pk: number): string {
    return createHash('sha256').update(`${pk}-${this.instanceId}`).digest('hex');
  }
}

const AVATAR_COLOURS = ['#4a7ab0', '#5a8f5c', '#b0664a', '#8a5ab0', '#b04a7a', '#4aa3b0'];

/** authentik's "initials" avatar: an SVG data URI, so no third-party request is ever made. */
export function initialsAvatar(name: string, username: string): string {
  const source = (name.trim() || username).split(/\s+/).filter(Boolean);
  const initials = source
    .slice(0, 2)
    .map((word) => [...word][0] ?? '')
    .join('')
    .toUpperCase()
    .replace(/[<>&"']/g, '');
  const colour = AVATAR_COLOURS[createHash('md5').update(username).digest()[0] % AVATAR_COLOURS.length];
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100" viewBox="0 0 100 100">` +
    `<rect width="100" height="100" fill="${colour}"/>` +
    `<text x="50" y="50" dy=".35em" text-anchor="middle" font-family="sans-serif" font-size="40" fill="#fff">${initials}</text></svg>`;
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
