import type { Type } from '@nestjs/common';
import { PartialType } from '@nestjs/swagger';
import { inheritFieldConversions } from './drf-fields';

/**
 * The PATCH body of a request DTO, as DRF validates a serializer with `partial=True`: every field
 * may be absent (and is documented as optional, so the OpenAPI `required` list is empty), but a
 * field that is sent is checked exactly as `base` checks it. In particular `null` stays
 * "This field may not be null." where `base` refuses it: plain `PartialType` marks each field
 * `@IsOptional`, which skips `null` as well as absence. Use it as
 * `export class PatchedXRequest extends PatchedType(XRequest) {}`; the class name is the schema's.
 */
export function PatchedType<T>(base: Type<T>): Type<Partial<T>> {
  // skipNullProperties: false → `@ValidateIf(value !== undefined)` instead of `@IsOptional()`.
  const patched = PartialType(base, { skipNullProperties: false });
  inheritFieldConversions(base, patched);
  return patched;
}
