import type { RawResponse } from './raw-http';

/** `{"detail": "..."}`: the only key, a non-empty string. */
export function isDetailBody(body: unknown): body is { detail: string } {
  if (!isPlainObject(body)) return false;
  const keys = Object.keys(body);
  return keys.length === 1 && keys[0] === 'detail' && typeof body.detail === 'string' && body.detail !== '';
}

/**
 * DRF's field errors: `{"field": ["message", ...]}`, nested for list and dict children
 * (`{"roles": {"0": ["..."]}}`), whole-body problems under `non_field_errors`. For a list body
 * (`many=True`, bulk ingest): a list with one such object per item, `{}` for a valid one, some
 * item naming a problem.
 */
export function isFieldErrorsBody(body: unknown): boolean {
  if (Array.isArray(body)) {
    const items = body.filter((item) => !(isPlainObject(item) && Object.keys(item).length === 0));
    return items.length > 0 && items.every(isFieldErrorsBody);
  }
  if (!isPlainObject(body) || Object.keys(body).length === 0 || 'detail' in body) return false;
  return Object.values(body).every(isFieldErrorValue);
}

function isFieldErrorValue(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every((m) => typeof m === 'string' && m !== '');
  return isPlainObject(value) && Object.keys(value).length > 0 && Object.values(value).every(isFieldErrorValue);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Why an answer is not a documented client error (docs/api-contract.md §1) with one of `statuses`, or null when
 * it is: JSON, a `{"detail"}` or field-errors body (none for HEAD), no `WWW-Authenticate`.
 */
export function undocumentedAnswer(response: RawResponse, statuses: readonly number[], method = 'GET'): string | null {
  if (!statuses.includes(response.status)) return `status ${response.status}, expected one of ${statuses.join(', ')}`;
  if (response.headers['www-authenticate'] !== undefined) return 'a WWW-Authenticate header';
  if (method === 'HEAD') return response.text === '' ? null : 'a body on a HEAD answer';
  if (!String(response.headers['content-type'] ?? '').startsWith('application/json')) {
    return `content type ${response.headers['content-type']}`;
  }
  if (!isDetailBody(response.body) && !isFieldErrorsBody(response.body)) return 'a body that is neither {"detail"} nor field errors';
  return null;
}
