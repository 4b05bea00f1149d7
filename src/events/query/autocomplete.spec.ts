import { EVENT_ACTIONS } from '../event-actions';
import { buildAutocomplete } from './autocomplete';

describe('buildAutocomplete', () => {
  it('describes the searchable fields as authentik does, JSON fields as relations to empty models', () => {
    expect(buildAutocomplete(['authentik.core', 'authentik.events'])).toEqual({
      current_model: 'authentik_events.event',
      models: {
        'authentik_events.event': {
          action: { type: 'str', nullable: false, options: [...EVENT_ACTIONS] },
          event_uuid: { type: 'str', nullable: false, options: [] },
          app: { type: 'str', nullable: false, options: ['authentik.core', 'authentik.events'] },
          client_ip: { type: 'str', nullable: false, options: [] },
          user: { type: 'relation', nullable: false, options: [], relation: 'authentik_events.event_user' },
          brand: { type: 'relation', nullable: false, options: [], relation: 'authentik_events.event_brand' },
          context: { type: 'relation', nullable: false, options: [], relation: 'authentik_events.event_context' },
          created: { type: 'datetime', nullable: false, options: [] },
        },
        'authentik_events.event_user': {},
        'authentik_events.event_brand': {},
        'authentik_events.event_context': {},
      },
    });
  });

  it('keeps authentik field order and key order within each field', () => {
    const autocomplete = buildAutocomplete([]);
    expect(Object.keys(autocomplete)).toEqual(['current_model', 'models']);
    expect(Object.keys(autocomplete.models)).toEqual([
      'authentik_events.event',
      'authentik_events.event_user',
      'authentik_events.event_brand',
      'authentik_events.event_context',
    ]);
    const fields = autocomplete.models['authentik_events.event'];
    expect(Object.keys(fields)).toEqual(['action', 'event_uuid', 'app', 'client_ip', 'user', 'brand', 'context', 'created']);
    expect(Object.keys(fields.user)).toEqual(['type', 'nullable', 'options', 'relation']);
    expect(Object.keys(fields.action)).toEqual(['type', 'nullable', 'options']);
  });

  it('never shares arrays with its input or with EVENT_ACTIONS', () => {
    const apps = ['a'];
    const autocomplete = buildAutocomplete(apps);
    autocomplete.models['authentik_events.event'].app.options.push('b');
    autocomplete.models['authentik_events.event'].action.options.push('x');
    expect(apps).toEqual(['a']);
    expect(EVENT_ACTIONS).not.toContain('x');
  });
});
