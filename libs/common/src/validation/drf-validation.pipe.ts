import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage, validate, ValidatorOptions } from 'class-validator';
import { badRequest } from '../http/api-errors';
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

const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: false,
  stopAtFirstError: true,
  validationError: { target: false, value: false },
};

const declaredFieldsCache = new WeakMap<object, readonly string[]>();

/** The fields a body DTO declares: the properties class-validator has rules for, inherited ones included. */
export function declaredFields(type: abstract new (...args: never[]) => unknown): readonly string[] {
  let fields = declaredFieldsCache.get(type);
  if (!fields) {
    const metadata = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
    fields = [...new Set(metadata.map((rule) => rule.propertyName))];
    declaredFieldsCache.set(type, fields);
  }
  return fields;
}

/**
 * One body checked as the global pipe checks a body DTO (below): the DTO with its values converted
 * as DRF's `to_internal_value` would, or DRF's errors for it (`Invalid data. Expected a
 * dictionary, ...` under `non_field_errors` when it is not an object). Bulk ingest checks each
 * item with it, as DRF's ListSerializer runs the item serializer on each.
 */
export async function validateDrfBody<T extends object>(
  type: new () => T,
  body: unknown,
): Promise<{ value: T } | { errors: Record<string, unknown> }> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { errors: { non_field_errors: [DrfMessage.expectedDict(body)] } };
  }
  const dto = new type() as Record<string, unknown>;
  for (const field of declaredFields(type)) {
    if (Object.hasOwn(body, field)) dto[field] = (body as Record<string, unknown>)[field];
  }
  const errors = await validate(dto, VALIDATOR_OPTIONS);
  if (errors.length > 0) return { errors: drfErrorBody(errors) };
  return { value: toInternalValues(dto) as T };
}

/**
 * The one global pipe: class-validator with DRF's error bodies. A body must be a JSON object
 * (`Invalid data. Expected a dictionary, but got list.`); an absent body is `{}`. Unknown and
 * read-only keys are dropped (DRF ignores them), every field is checked (one message each), and
 * the surviving values are converted as DRF's `to_internal_value` would.
 *
 * A body DTO is built from its declared fields alone, values as parsed, without class-transformer:
 * that walks every key of the body and of each free-form value (`context`, `attributes`) and
 * de-duplicates them in O(n²), so 70 000 keys in a 900 KB body blocked the event loop for half a
 * minute. The DTOs use no class-transformer decorators, so nothing else of what it did is lost.
 */
@Injectable()
export class DrfValidationPipe extends ValidationPipe {
  constructor() {
    super({
      ...VALIDATOR_OPTIONS,
      transform: true,
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
    const result = await validateDrfBody(metadata.metatype as new () => object, body);
    if ('errors' in result) throw badRequest(result.errors);
    return result.value;
  }

  private isDto(metadata: ArgumentMetadata): boolean {
    const type = metadata.metatype;
    return !!type && ![String, Boolean, Number, Array, Object].includes(type as never);
  }
}
