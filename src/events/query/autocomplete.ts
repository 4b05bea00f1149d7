import { SEARCH_FIELDS, SearchField } from './search/fields';

/** One field as djangoql's schema serializer describes it to query editors. */
export interface AutocompleteField {
  type: 'str' | 'datetime' | 'relation';
  nullable: boolean;
  options: string[];
  relation?: string;
}

export interface Autocomplete {
  current_model: string;
  models: Record<string, Record<string, AutocompleteField>>;
}

export const EVENT_MODEL_LABEL = 'authentik_events.event';

/**
 * The list response's `autocomplete` (authentik's AutocompletePagination → AKQLSchemaSerializer
 * in authentik/api/search/schema.py, built on djangoql's DjangoQLSchemaSerializer):
 * - every field `{"type", "nullable", "options"}`; djangoql's fields default to not nullable;
 * - `action` offers its choices, `app` the distinct apps recorded (`suggest_options=True`);
 * - `user`, `brand`, `context` are relations to their own, empty, models
 *   (`authentik_events.event_user`...), which must exist for editors to resolve them.
 * `appOptions`: the apps of the visible events (EventsRepository.visibleApps).
 */
export function buildAutocomplete(appOptions: readonly string[]): Autocomplete {
  const fields: Record<string, AutocompleteField> = {};
  const relations: Record<string, Record<string, AutocompleteField>> = {};
  for (const field of SEARCH_FIELDS) {
    fields[field.name] = describe(field, appOptions);
    if (field.kind === 'json') relations[relationLabel(field.name)] = {};
  }
  return { current_model: EVENT_MODEL_LABEL, models: { [EVENT_MODEL_LABEL]: fields, ...relations } };
}

const relationLabel = (name: string) => `${EVENT_MODEL_LABEL}_${name}`;

function describe(field: SearchField, appOptions: readonly string[]): AutocompleteField {
  switch (field.kind) {
    case 'json':
      return { type: 'relation', nullable: false, options: [], relation: relationLabel(field.name) };
    case 'datetime':
      return { type: 'datetime', nullable: false, options: [] };
    case 'uuid':
      return { type: 'str', nullable: false, options: [] };
    case 'text': {
      const options = field.name === 'app' ? [...appOptions] : [...(field.choices ?? [])];
      return { type: 'str', nullable: false, options };
    }
  }
}
