import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_KEY_FILE = 'secret_key';

/**
 * The instance secret when AUTHENTIK_SECRET_KEY is not set: generated on first start and kept
 * owner-only in the data directory, so token keys encrypted with it survive restarts.
 */
export function readOrCreateSecretKey(dataDir: string): string {
  const path = join(dataDir, SECRET_KEY_FILE);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(48).toString('base64url');
  writeFileSync(path, `${key}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return key;
}
