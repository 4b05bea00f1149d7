import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { EVENT_ACTIONS } from '../event-actions';

const text = (name: string, description?: string) => ApiQuery({ name, required: false, type: 'string', description });

/**
 * The list filters of docs/api-contract.md §3.3 (authentik's `EventsFilter`) as authentik documents them; the
 * stream and the export take them too. `withOrdering`: the export documents `ordering` like
 * authentik's, although an export is always written in `created, pk` order.
 */
export const ApiEventListFilters = (options: { withOrdering?: boolean } = {}) =>
  applyDecorators(
    text('action'),
    ApiQuery({
      name: 'actions',
      required: false,
      isArray: true,
      explode: true,
      style: 'form',
      enum: EVENT_ACTIONS,
      enumName: 'EventActions',
    }),
    text('brand_name', 'Brand name'),
    text('client_ip'),
    text('context_authorized_app', 'Context Authorized application'),
    text('context_device', 'Context Device Primary Key'),
    text('context_model_app', 'Context Model App'),
    text('context_model_name', 'Context Model Name'),
    text('context_model_pk', 'Context Model Primary Key'),
    ...(options.withOrdering ? [text('ordering', 'Which field to use when ordering the results.')] : []),
    text('search', 'A search term.'),
    text('username', 'Username'),
  );
