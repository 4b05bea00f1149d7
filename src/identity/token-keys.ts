import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A new token key: 60 random letters and digits, like authentik's `default_token_key`. */
export function generateTokenKey(length = 60): string {
  let key = '';
  for (let i = 0; i < length; i++) key += ALPHABET[randomInt(ALPHABET.length)];
  return key;
}

/**
 * Keys are stored twice, neither time in plain text: a keyed digest to find a token from a
 * bearer key, and an authenticated encryption so `view_key/` can still return it. Both derive
 * from the instance secret (AUTHENTIK_SECRET_KEY); a database dump alone reveals no key.
 */
export class TokenKeyVault {
  private readonly digestKey: Buffer;
  private readonly encryptionKey: Buffer;

  constructor(secret: string) {
    this.digestKey = createHash('sha256').update(`eventlog token digest\0${secret}`).digest();
    this.encryptionKey = createHash('sha256').update(`eventlog token encryption\0${secret}`).digest();
  }

  digest(key: string): string {
    return createHmac('sha256', this.digestKey).update(key, 'utf8').digest('hex');
  }

  encrypt(key: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(key, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  decrypt(sealed: string): string {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
