import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { AutocompleteSchema, BooleanField, CharField, ChoiceField, PaginationSchema } from '@app/common';
import { EVENT_ACTIONS } from '../../events/event-actions';
import { APP_CHOICES, MODEL_CHOICES } from './choices';

const Action = ChoiceField(EVENT_ACTIONS, { nullable: true });
const App = ChoiceField(APP_CHOICES, { nullable: true });
const Model = ChoiceField(MODEL_CHOICES, { nullable: true });
const Text = CharField({ nullable: true });
const ExecutionLogging = BooleanField();

/** Event Matcher Policy Serializer */
export class EventMatcherPolicyRequest {
  @CharField({ required: true, maxLength: 255 })
  name!: string;
  @ExecutionLogging
  execution_logging?: boolean;
  @Action
  action?: string | null;
  @Text
  client_ip?: string | null;
  @App
  app?: string | null;
  @Model
  model?: string | null;
  @Text
  query?: string | null;
}

/** Event Matcher Policy Serializer */
export class PatchedEventMatcherPolicyRequest {
  @CharField({ maxLength: 255 })
  name?: string;
  @ExecutionLogging
  execution_logging?: boolean;
  @Action
  action?: string | null;
  @Text
  client_ip?: string | null;
  @App
  app?: string | null;
  @Model
  model?: string | null;
  @Text
  query?: string | null;
}

/** Event Matcher Policy Serializer */
@ApiSchema({ name: 'EventMatcherPolicy' })
export class EventMatcherPolicyResponse {
  @ApiProperty({ format: 'uuid', readOnly: true, title: 'Policy uuid' })
  pk!: string;
  name!: string;
  execution_logging?: boolean;
  component!: string;
  verbose_name!: string;
  verbose_name_plural!: string;
  meta_model_name!: string;
  bound_to!: number;
  action?: string | null;
  client_ip?: string | null;
  app?: string | null;
  model?: string | null;
  query?: string | null;
}

@ApiSchema({ name: 'PaginatedEventMatcherPolicyList' })
export class PaginatedEventMatcherPolicyList {
  pagination!: PaginationSchema;
  results!: EventMatcherPolicyResponse[];
  autocomplete!: AutocompleteSchema;
}
