import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { badRequest, nonFieldError } from '../http/api-errors';
import { toInternalValues } from './drf-fields';
import { DrfMessage } from './drf-messages';

/** `{"field": ["message"]}` from class-validator's errors (one message per field, DRF-style). */
export function drfErrorBody(errors: ValidationError[]): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const error of errors) {
    if (error.constraints) {
      body[error.property] = Object.values(error.constraints).slice(0, 1);
    } else if (error.children?.length) {
      body[error.property] = drfErrorBody(error.children);
    }
  }
  return body;
}

/**
 * The one global pipe: class-validator with DRF's error bodies. A body must be a JSON object
 * (`Invalid data. Expected a dictionary, but got list.`); an absent body is `{}`. Unknown and
 * read-only keys are dropped (whitelist), every field is checked (one message each), and the
 * surviving values are converted as DRF's `to_internal_value` would.
 */
@Injectable()
export class DrfValidationPipe extends ValidationPipe {
  constructor() {
    super({
      transform: true,
      whitelist: true,
      forbidNonWhitelisted: false,
      stopAtFirstError: true,
      validationError: { target: false, value: false },
      transformOptions: { enableImplicitConversion: false },
      exceptionFactory: (errors) => badRequest(drfErrorBody(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Path ids stay text: their own pipes (IntParamPipe, UuidParamPipe) parse them, so `abc`
    // is a 404 there rather than a NaN here.
    if (metadata.type === 'param') return value;
    if (metadata.type !== 'body' || !this.isDto(metadata)) return super.transform(value, metadata);
    const body = value === undefined ? {} : value;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw nonFieldError(DrfMessage.expectedDict(body));
    }
    const dto = await super.transform(body, metadata);
    return toInternalValues(dto as object);
  }

  private isDto(metadata: ArgumentMetadata): boolean {
    const type = metadata.metatype;
    return !!type && ![String, Boolean, Number, Array, Object].includes(type as never);
  }
}
