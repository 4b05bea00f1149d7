import { HttpException, HttpStatus } from '@nestjs/common';

/** The bodies of docs/api-contract.md §1, worded exactly as authentik / Django REST Framework write them. */
export const ErrorDetail = {
  notAuthenticated: 'Authentication credentials were not provided.',
  tokenInvalid: 'Token invalid/expired',
  unsupportedAuth: 'Unsupported authentication type',
  permissionDenied: 'You do not have permission to perform this action.',
  notFound: 'Not found.',
  invalidPage: 'Invalid page.',
  bodyTooLarge: 'Request body too large.',
  unavailable: 'Service temporarily unavailable.',
  serverError: 'A server error occurred.',
  methodNotAllowed: (method: string) => `Method "${method}" not allowed.`,
  unsupportedMediaType: (type: string) => `Unsupported media type "${type}" in request.`,
  jsonParse: (reason: string) => `JSON parse error - ${reason}`,
  noMatch: (model: string) => `No ${model} matches the given query.`,
  tooManyRequests: (seconds: number) => `Request was throttled. Expected available in ${seconds} seconds.`,
} as const;

/** DRF's field-error body: `{"field": ["message", ...]}`. */
export type FieldErrors = Record<string, unknown>;

/** An HTTP error whose body (and headers, e.g. `Retry-After`) are sent as they are; nothing else leaks. */
export class ApiException extends HttpException {
  constructor(
    status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(body, status);
  }
}

export function detail(status: number, message: string): ApiException {
  return new ApiException(status, { detail: message });
}

export const badRequest = (errors: FieldErrors) => new ApiException(HttpStatus.BAD_REQUEST, errors);
/**
 * DRF's ListSerializer errors (`many=True`): one entry per item, `{}` for a valid one. The
 * filter sends an ApiException's body as it is, a list too.
 */
export const badRequestList = (errors: FieldErrors[]) => new ApiException(HttpStatus.BAD_REQUEST, errors as unknown as FieldErrors);
export const fieldError = (field: string, message: string) => badRequest({ [field]: [message] });
export const nonFieldError = (message: string) => badRequest({ non_field_errors: [message] });
export const forbidden = (message: string = ErrorDetail.permissionDenied) => detail(HttpStatus.FORBIDDEN, message);
export const notFound = (message: string = ErrorDetail.notFound) => detail(HttpStatus.NOT_FOUND, message);
/** 404 for an object that does not exist or is not visible: `No Event matches the given query.` */
export const noMatch = (model: string) => notFound(ErrorDetail.noMatch(model));
export const invalidPage = () => notFound(ErrorDetail.invalidPage);
