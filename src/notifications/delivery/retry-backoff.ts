/** How failed deliveries are retried (README "Notifications"). */
export interface RetryPolicy {
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

/**
 * After failed attempt `attempt` (1 for the first): null when it was the last one allowed (the
 * delivery is `failed`), else how long to wait. Exponential like Dramatiq's, which authentik
 * retries with: `baseMs × 2^(attempt-1)`, capped at `maxMs`, then "equal jitter" (between half
 * and all of it), so receivers coming back after an outage are not hit by every retry at once.
 */
export function retryDelayMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number | null {
  if (attempt >= policy.maxAttempts) return null;
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 40));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
