import { Injectable } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { ApiException, ErrorDetail } from '@app/common';

export interface AuthFailureLimits {
  /** Failed authentications allowed per client within `windowMs`. */
  limit: number;
  windowMs: number;
}

/**
 * Slows down key guessing: after `limit` failed authentications within the window, a client's
 * further failures answer 429 (DRF's throttled body) until the window has passed. Counting uses
 * @nestjs/throttler's storage; successful requests are never counted or blocked.
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly storage = new ThrottlerStorageService();

  constructor(private readonly limits: AuthFailureLimits) {}

  /** Records a failure of `client`; returns the 429 to throw instead when over the limit. */
  async recordFailure(client: string): Promise<ApiException | null> {
    const { limit, windowMs } = this.limits;
    const record = await this.storage.increment(client, windowMs, limit, windowMs, 'auth-failures');
    if (!record.isBlocked) return null;
    const seconds = Math.max(1, Math.ceil(record.timeToBlockExpire));
    return new ApiException(429, { detail: ErrorDetail.tooManyRequests(seconds) });
  }

  onModuleDestroy(): void {
    this.storage.onApplicationShutdown();
  }
}
