import { retryReason, RetryReason } from './retryable-errors';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The pause before the second attempt is up to this; it doubles for each later one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Told before each new attempt (metrics; after a lost connection, finding a usable node). */
  beforeRetry?: (reason: RetryReason, attempt: number, error: unknown) => Promise<void> | void;
  /** Tests replace it; Math.random otherwise. */
  random?: () => number;
}

/**
 * Small and bounded: a conflict is gone on the next try nearly always, and a node that died is
 * replaced by the failover's check within tens of milliseconds. Six attempts with full jitter
 * wait about 0.75 s in all at most: a client's request is never held long for a retry.
 */
export const WRITE_RETRY_POLICY: RetryPolicy = { attempts: 6, baseDelayMs: 15, maxDelayMs: 250 };

/**
 * Runs `attempt` until it resolves, running it again when it fails with an error `retryReason`
 * calls retryable, after a jittered pause ("full jitter": uniform between 0 and the capped
 * exponential delay, so instances that conflicted do not retry in step and conflict again).
 * The last error is thrown once the attempts are used up, and any other error at once.
 * `attempt` gets its number (1-based).
 */
export async function withRetries<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy): Promise<T> {
  const random = policy.random ?? Math.random;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const reason = retryReason(error);
      if (!reason || n >= policy.attempts) throw error;
      const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
      await new Promise((resolve) => setTimeout(resolve, Math.round(random() * cap)));
      await policy.beforeRetry?.(reason, n + 1, error);
    }
  }
}
