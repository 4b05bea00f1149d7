export { isDuplicateKey, retryReason, RetryReason } from './retryable-errors';
export { RetryPolicy, withRetries, WRITE_RETRY_POLICY } from './with-retries';
