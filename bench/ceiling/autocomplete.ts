/**
 * The list's `autocomplete` block (docs/api-contract.md §3.3), so the ceiling's page weighs what eventlog's does.
 * The benchmark replaces it with eventlog's own block when eventlog is up (CEILING_AUTOCOMPLETE_JSON).
 */
const ACTIONS = [
  'login',
  'login_failed',
  'logout',
  'user_write',
  'user_offboarded',
  'suspicious_request',
  'password_set',
  'secret_view',
  'secret_rotate',
  'invitation_used',
  'authorize_application',
  'source_linked',
  'impersonation_started',
  'impersonation_ended',
  'flow_execution',
  'policy_execution',
  'policy_exception',
  'property_mapping_exception',
  'system_task_execution',
  'system_task_exception',
  'system_exception',
  'configuration_error',
  'configuration_warning',
  'model_created',
  'model_updated',
  'model_deleted',
  'email_sent',
  'update_available',
  'export_ready',
  'review_initiated',
  'review_overdue',
  'review_attested',
  'review_completed',
  'access_request_created',
  'access_request_approved',
  'access_request_denied',
  'access_request_revoked',
  'custom_',
];

const field = (type: string, nullable = false, options: string[] = []) => ({ type, nullable, options });
const relation = (model: string) => ({ type: 'relation', nullable: false, options: [], relation: model });

export const DEFAULT_AUTOCOMPLETE = {
  current_model: 'authentik_events.event',
  models: {
    'authentik_events.event': {
      event_uuid: field('str'),
      user: relation('eventlog.user'),
      action: field('str', false, ACTIONS),
      app: field('str'),
      context: relation('eventlog.context'),
      client_ip: field('str', true),
      created: field('datetime'),
      expires: field('datetime'),
      brand: relation('eventlog.brand'),
    },
    'eventlog.user': {},
    'eventlog.context': {},
    'eventlog.brand': {},
  },
};
