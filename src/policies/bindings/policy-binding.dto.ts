import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, BooleanField, IntegerField, PaginationSchema } from '@app/common';
import { ValidateBy } from 'class-validator';
import { DrfMessage } from '@app/common';
import { integerPkProblem, uuidPkProblem } from '../../identity/common/related-fields';

/** A nullable single related key, its shape checked here and its existence by the service. */
function RelatedKey(problem: (value: unknown) => string | null, required = false): PropertyDecorator {
  const check = (value: unknown) =>
    value === undefined ? (required ? DrfMessage.required : null) : value === null ? (required ? DrfMessage.null : null) : problem(value);
  return ValidateBy({ name: 'drfRelatedKey', validator: { validate: (value) => check(value) === null, defaultMessage: (args) => check(args?.value) ?? '' } }, { always: true });
}

const INT32 = { min: -2147483648, max: 2147483647 };

/** PolicyBinding Serializer */
export class PolicyBindingRequest {
  @RelatedKey(uuidPkProblem)
  policy?: string | null;
  @RelatedKey(uuidPkProblem)
  group?: string | null;
  @RelatedKey(integerPkProblem)
  user?: number | null;
  @RelatedKey(uuidPkProblem, true)
  target!: string;
  @BooleanField()
  negate?: boolean;
  @BooleanField()
  enabled?: boolean;
  @IntegerField({ required: true, ...INT32 })
  order!: number;
  @IntegerField({ min: 0, max: 2147483647 })
  timeout?: number;
  @BooleanField()
  failure_result?: boolean;
}

/** PolicyBinding Serializer */
export class PatchedPolicyBindingRequest {
  @RelatedKey(uuidPkProblem)
  policy?: string | null;
  @RelatedKey(uuidPkProblem)
  group?: string | null;
  @RelatedKey(integerPkProblem)
  user?: number | null;
  @RelatedKey(uuidPkProblem)
  target?: string;
  @BooleanField()
  negate?: boolean;
  @BooleanField()
  enabled?: boolean;
  @IntegerField(INT32)
  order?: number;
  @IntegerField({ min: 0, max: 2147483647 })
  timeout?: number;
  @BooleanField()
  failure_result?: boolean;
}

/** PolicyBinding Serializer */
@ApiSchema({ name: 'PolicyBinding' })
export class PolicyBindingResponse {
  @ApiProperty({ format: 'uuid', readOnly: true, title: 'Policy binding uuid' })
  pk!: string;
  policy?: string | null;
  group?: string | null;
  user?: number | null;
  policy_obj!: Record<string, unknown> | null;
  group_obj!: Record<string, unknown> | null;
  user_obj!: Record<string, unknown> | null;
  target!: string;
  /** Negates the outcome of the policy. Messages are unaffected. */
  negate?: boolean;
  enabled?: boolean;
  order!: number;
  /** Timeout after which Policy execution is terminated. */
  timeout?: number;
  /** Result if the Policy execution fails. */
  failure_result?: boolean;
  expires!: string | null;
  expiring!: boolean;
}

@ApiSchema({ name: 'PaginatedPolicyBindingList' })
export class PaginatedPolicyBindingList {
  pagination!: PaginationSchema;
  results!: PolicyBindingResponse[];
  autocomplete!: AutocompleteSchema;
}
