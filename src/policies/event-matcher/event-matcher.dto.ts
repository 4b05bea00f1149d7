import { applyDecorators } from '@nestjs/common';
import { PatchedType } from '@app/common';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, BooleanField, CharField, ChoiceField, PaginationSchema } from '@app/common';
import { EVENT_ACTIONS } from '../../events';
import { APP_CHOICES, MODEL_CHOICES } from './choices';

// Named enums, as authentik's schema has them (`EventActions`, `AppEnum`, `ModelEnum`).
const ACTION_DOC = { enum: EVENT_ACTIONS, enumName: 'EventActions', nullable: true, required: false } as const;
const APP_DOC = { enum: APP_CHOICES, enumName: 'AppEnum', nullable: true, required: false } as const;
const MODEL_DOC = { enum: MODEL_CHOICES, enumName: 'ModelEnum', nullable: true, required: false } as const;
const READ_ONLY = { readOnly: true } as const;

const Action = () => applyDecorators(ChoiceField(EVENT_ACTIONS, { nullable: true }), ApiProperty(ACTION_DOC));
const App = () => applyDecorators(ChoiceField(APP_CHOICES, { nullable: true }), ApiProperty(APP_DOC));
const Model = () => applyDecorators(ChoiceField(MODEL_CHOICES, { nullable: true }), ApiProperty(MODEL_DOC));
const Text = () =>
  applyDecorators(CharField({ nullable: true }), ApiProperty({ type: 'string', nullable: true, minLength: 1, required: false }));
const ExecutionLogging = BooleanField();

/** Event Matcher Policy Serializer */
export class EventMatcherPolicyRequest {
  @CharField({ required: true, maxLength: 255 })
  @ApiProperty({ minLength: 1 })
  name!: string;
  @ExecutionLogging
  execution_logging?: boolean;
  @Action()
  action?: string | null;
  @Text()
  client_ip?: string | null;
  @App()
  app?: string | null;
  @Model()
  model?: string | null;
  @Text()
  query?: string | null;
}

/** Event Matcher Policy Serializer */
export class PatchedEventMatcherPolicyRequest extends PatchedType(EventMatcherPolicyRequest) {}

/** Event Matcher Policy Serializer */
@ApiSchema({ name: 'EventMatcherPolicy' })
export class EventMatcherPolicyResponse {
  @ApiProperty({ format: 'uuid', readOnly: true, title: 'Policy uuid' })
  pk!: string;
  name!: string;
  execution_logging?: boolean;
  @ApiProperty(READ_ONLY)
  component!: string;
  @ApiProperty(READ_ONLY)
  verbose_name!: string;
  @ApiProperty(READ_ONLY)
  verbose_name_plural!: string;
  @ApiProperty(READ_ONLY)
  meta_model_name!: string;
  @ApiProperty({ type: 'integer', readOnly: true })
  bound_to!: number;
  @ApiProperty(ACTION_DOC)
  action?: string | null;
  @ApiProperty({ type: 'string', nullable: true, required: false })
  client_ip?: string | null;
  @ApiProperty(APP_DOC)
  app?: string | null;
  @ApiProperty(MODEL_DOC)
  model?: string | null;
  @ApiProperty({ type: 'string', nullable: true, required: false })
  query?: string | null;
}

/** Policy Serializer: a policy of any type, as a binding shows it. */
@ApiSchema({ name: 'Policy' })
export class PolicyResponse {
  @ApiProperty({ format: 'uuid', readOnly: true, title: 'Policy uuid' })
  pk!: string;
  name!: string;
  /** When this option is enabled, all executions of this policy will be logged. By default, only execution errors are logged. */
  execution_logging?: boolean;
  @ApiProperty(READ_ONLY)
  component!: string;
  @ApiProperty(READ_ONLY)
  verbose_name!: string;
  @ApiProperty(READ_ONLY)
  verbose_name_plural!: string;
  @ApiProperty(READ_ONLY)
  meta_model_name!: string;
  @ApiProperty({ type: 'integer', readOnly: true })
  bound_to!: number;
}

@ApiSchema({ name: 'PaginatedEventMatcherPolicyList' })
export class PaginatedEventMatcherPolicyList {
  pagination!: PaginationSchema;
  results!: EventMatcherPolicyResponse[];
  autocomplete!: AutocompleteSchema;
}
