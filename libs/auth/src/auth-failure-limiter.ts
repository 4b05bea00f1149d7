import { Injectable } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { ApiException, ErrorDetail } from '@app/common';

export interface AuthFailureLimits {
  /** Failed authentications allowed per client within `windowMs`. */
  limit: number;
  windowMs: number;
}

const THROTTLER = 'auth-failures';

/**
 * Makes key guessing useless: after `limit` failed authentications within the window, a client is
 * blocked until the window has passed, and while it is blocked *every* request of it that needs a
 * token answers 429 (DRF's throttled body and `Retry-After`), a correct key included. Were a
 * correct key still let through, a guesser would just go on and recognise a hit by its 200.
 * Counting uses @nestjs/throttler's storage; successful requests are never counted.
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly storage = new ThrottlerStorageService();

  constructor(private readonly limits: AuthFailureLimits) {}

  /** The 429 to answer `client` with while it is blocked; null when it may authenticate. */
  refusal(client: string): ApiException | null {
    const record = this.storage.storage.get(client);
    const remainingMs = record?.isBlocked ? record.blockExpiresAt - Date.now() : 0;
    return remainingMs > 0 ? throttled(remainingMs / 1000) : null;
  }

  /** Records a failure of `client`; returns the 429 to throw instead when over the limit. */
  async recordFailure(client: string): Promise<ApiException | null> {
    const { limit, windowMs } = this.limits;
    const record = await this.storage.increment(client, windowMs, limit, windowMs, THROTTLER);
    return record.isBlocked ? throttled(record.timeToBlockExpire) : null;
  }

  onModuleDestroy(): void {
    this.storage.onApplicationShutdown();
  }
}

function throttled(seconds: number): ApiException {
  const wait = Math.max(1, Math.ceil(seconds));
  return new ApiException(429, { detail: ErrorDetail.tooManyRequests(wait) }, { 'Retry-After': String(wait) });
}
