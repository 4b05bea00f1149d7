/** authentik's `EventAction` choices (docs/api-contract.md §2.1), in authentik's order: the API accepts exactly these. */
export const EVENT_ACTIONS = [
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
] as const;

export type EventAction = (typeof EVENT_ACTIONS)[number];

/** Prefix for actions recorded in-process under a name outside the enum (docs/api-contract.md §6). */
export const CUSTOM_ACTION_PREFIX = 'custom_';

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(EVENT_ACTIONS);

export function isEventAction(value: unknown): value is EventAction {
  return typeof value === 'string' && KNOWN_ACTIONS.has(value);
}

// Django derives a choice's label from the enum member's *name*; these two members are named
// differently from their values (INVITE_USED, CUSTOM_PREFIX).
const LABEL_OVERRIDES: Partial<Record<EventAction, string>> = {
  invitation_used: 'Invite Used',
  custom_: 'Custom Prefix',
};

/** `login_failed` → `Login Failed` (Django's TextChoices label). */
export function eventActionLabel(action: EventAction): string {
  return (
    LABEL_OVERRIDES[action] ??
    action
      .split('_')
      .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
      .join(' ')
  );
}
