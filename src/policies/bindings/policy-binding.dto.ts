import {
  AutocompleteSchema,
  BooleanField,
  DrfMessage,
  IntegerField,
  integerPkProblem,
  PaginationSchema,
  PatchedType,
  uuidPkProblem,
} from '@app/common';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { PolicyResponse } from '../event-matcher/event-matcher.dto';
import { PartialGroupResponse } from '../../identity/users/dto/user.dto';
import { PartialUserDto } from '../../identity/users/dto/partial-user.dto';
import { ValidateBy } from 'class-validator';

/** A nullable single related key, its shape checked here and its existence by the service. */
function RelatedKey(problem: (value: unknown) => string | null, required = false): PropertyDecorator {
  const check = (value: unknown) =>
    value === undefined ? (required ? DrfMessage.required : null) : value === null ? (required ? DrfMessage.null : null) : problem(value);
  return ValidateBy(
    {
      name: 'drfRelatedKey',
      validator: { validate: (value) => check(value) === null, defaultMessage: (args) => check(args?.value) ?? '' },
    },
    { always: true },
  );
}

const INT32 = { min: -2147483648, max: 2147483647 };

/** PolicyBinding Serializer */
export class PolicyBindingRequest {
  @RelatedKey(uuidPkProblem)
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, required: false })
  policy?: string | null;
  @RelatedKey(uuidPkProblem)
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, required: false })
  group?: string | null;
  @RelatedKey(integerPkProblem)
  @ApiProperty({ type: 'integer', nullable: true, required: false })
  user?: number | null;
  @RelatedKey(uuidPkProblem, true)
  @ApiProperty({ type: 'string', format: 'uuid' })
  target!: string;
  @BooleanField()
  negate?: boolean;
  @BooleanField()
  enabled?: boolean;
  @IntegerField({ required: true, ...INT32 })
  @ApiProperty({ type: 'integer', minimum: INT32.min, maximum: INT32.max })
  order!: number;
  @IntegerField({ min: 0, max: 2147483647 })
  @ApiProperty({ type: 'integer', minimum: 0, maximum: INT32.max, required: false })
  timeout?: number;
  @BooleanField()
  failure_result?: boolean;
}

/** PolicyBinding Serializer */
export class PatchedPolicyBindingRequest extends PatchedType(PolicyBindingRequest) {}

/** PolicyBinding Serializer */
@ApiSchema({ name: 'PolicyBinding' })
export class PolicyBindingResponse {
  @ApiProperty({ format: 'uuid', readOnly: true, title: 'Policy binding uuid' })
  pk!: string;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, required: false })
  policy?: string | null;
  @ApiProperty({ type: 'string', format: 'uuid', nullable: true, required: false })
  group?: string | null;
  @ApiProperty({ type: 'integer', nullable: true, required: false })
  user?: number | null;
  @ApiProperty({ allOf: [{ $ref: '#/components/schemas/Policy' }], readOnly: true, nullable: true })
  policy_obj!: PolicyResponse | null;
  @ApiProperty({ allOf: [{ $ref: '#/components/schemas/PartialGroup' }], readOnly: true, nullable: true })
  group_obj!: PartialGroupResponse | null;
  @ApiProperty({ allOf: [{ $ref: '#/components/schemas/PartialUser' }], readOnly: true, nullable: true })
  user_obj!: PartialUserDto | null;
  @ApiProperty({ type: 'string', format: 'uuid' })
  target!: string;
  /** Negates the outcome of the policy. Messages are unaffected. */
  negate?: boolean;
  enabled?: boolean;
  @ApiProperty({ type: 'integer', minimum: INT32.min, maximum: INT32.max })
  order!: number;
  /** Timeout after which Policy execution is terminated. */
  @ApiProperty({ type: 'integer', minimum: 0, maximum: INT32.max, required: false })
  timeout?: number;
  /** Result if the Policy execution fails. */
  failure_result?: boolean;
  @ApiProperty({ type: 'string', format: 'date-time', readOnly: true, nullable: true })
  expires!: string | null;
  @ApiProperty({ readOnly: true })
  expiring!: boolean;
}

@ApiSchema({ name: 'PaginatedPolicyBindingList' })
export class PaginatedPolicyBindingList {
  pagination!: PaginationSchema;
  results!: PolicyBindingResponse[];
  autocomplete!: AutocompleteSchema;
}
