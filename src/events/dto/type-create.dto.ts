import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { EVENT_ACTIONS, eventActionLabel } from '../event-actions';

/** authentik's TypeCreateSerializer: one creatable type (here: one event action). */
@ApiSchema({ name: 'TypeCreate', description: 'Types of an object that can be created' })
export class TypeCreate {
  @ApiProperty({ type: 'string' }) name: string;
  @ApiProperty({ type: 'string' }) description: string;
  @ApiProperty({ type: 'string' }) component: string;
  @ApiProperty({ type: 'string' }) model_name: string;
  @ApiProperty({ type: 'string', required: false }) icon_url?: string;
  @ApiProperty({ type: 'boolean', default: false, required: false }) requires_enterprise: boolean;
  @ApiProperty({ type: 'boolean', default: false, required: false }) deprecated: boolean;
}

/** `actions/`: every action in docs/api-contract.md §2.1 order; `icon_url` is left out, as authentik does. */
export function eventActionTypes(): TypeCreate[] {
  return EVENT_ACTIONS.map((action) => ({
    name: eventActionLabel(action),
    description: '',
    component: action,
    model_name: '',
    requires_enterprise: false,
    deprecated: false,
  }));
}
