import { HttpException } from '@nestjs/common';
import { CharField, DateTimeField } from './drf-fields';
import { DrfValidationPipe } from './drf-validation.pipe';
import { PatchedType } from './patched-type';

class ThingRequest {
  @CharField({ required: true, maxLength: 5 })
  name!: string;

  @DateTimeField({ nullable: true })
  expires?: number | null;
}

class PatchedThingRequest extends PatchedType(ThingRequest) {}

const pipe = new DrfValidationPipe();

async function parsed(type: new () => object, body: unknown): Promise<unknown> {
  return pipe.transform(body, { type: 'body', metatype: type });
}

async function refused(type: new () => object, body: unknown): Promise<unknown> {
  try {
    await parsed(type, body);
  } catch (error) {
    return (error as HttpException).getResponse();
  }
  throw new Error('accepted');
}

describe('PatchedType: a PATCH body checked as DRF checks a partial serializer', () => {
  it('accepts an empty body where the full type wants the required field', async () => {
    expect(await refused(ThingRequest, {})).toEqual({ name: ['This field is required.'] });
    expect(await parsed(PatchedThingRequest, {})).toEqual({});
  });

  it('still refuses null where the full type does, unlike PartialType', async () => {
    expect(await refused(PatchedThingRequest, { name: null })).toEqual({ name: ['This field may not be null.'] });
    expect(await parsed(PatchedThingRequest, { expires: null })).toEqual({ expires: null });
  });

  it('checks and converts a sent field exactly as the full type', async () => {
    expect(await refused(PatchedThingRequest, { name: 'toolong' })).toEqual({
      name: ['Ensure this field has no more than 5 characters.'],
    });
    expect(await parsed(PatchedThingRequest, { name: '  ab ', expires: '2026-07-01T12:00:00Z' })).toEqual({
      name: 'ab',
      expires: Date.UTC(2026, 6, 1, 12) * 1000,
    });
  });
});
