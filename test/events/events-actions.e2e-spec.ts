import { createUserWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import { EVENTS } from './event-fixtures';

// docs/api-contract.md §2.1, in order, with the labels Django gives them.
const ACTIONS: [string, string][] = [
  ['login', 'Login'],
  ['login_failed', 'Login Failed'],
  ['logout', 'Logout'],
  ['user_write', 'User Write'],
  ['user_offboarded', 'User Offboarded'],
  ['suspicious_request', 'Suspicious Request'],
  ['password_set', 'Password Set'],
  ['secret_view', 'Secret View'],
  ['secret_rotate', 'Secret Rotate'],
  ['invitation_used', 'Invite Used'],
  ['authorize_application', 'Authorize Application'],
  ['source_linked', 'Source Linked'],
  ['impersonation_started', 'Impersonation Started'],
  ['impersonation_ended', 'Impersonation Ended'],
  ['flow_execution', 'Flow Execution'],
  ['policy_execution', 'Policy Execution'],
  ['policy_exception', 'Policy Exception'],
  ['property_mapping_exception', 'Property Mapping Exception'],
  ['system_task_execution', 'System Task Execution'],
  ['system_task_exception', 'System Task Exception'],
  ['system_exception', 'System Exception'],
  ['configuration_error', 'Configuration Error'],
  ['configuration_warning', 'Configuration Warning'],
  ['model_created', 'Model Created'],
  ['model_updated', 'Model Updated'],
  ['model_deleted', 'Model Deleted'],
  ['email_sent', 'Email Sent'],
  ['update_available', 'Update Available'],
  ['export_ready', 'Export Ready'],
  ['review_initiated', 'Review Initiated'],
  ['review_overdue', 'Review Overdue'],
  ['review_attested', 'Review Attested'],
  ['review_completed', 'Review Completed'],
  ['access_request_created', 'Access Request Created'],
  ['access_request_approved', 'Access Request Approved'],
  ['access_request_denied', 'Access Request Denied'],
  ['access_request_revoked', 'Access Request Revoked'],
  ['custom_', 'Custom Prefix'],
];

const EXPECTED = ACTIONS.map(([component, name]) => ({
  name,
  description: '',
  component,
  model_name: '',
  requires_enterprise: false,
  deprecated: false,
}));

/** GET /events/events/actions/: events_events_actions_list (docs/api-contract.md §3.2). */
describe(`events_events_actions_list (${process.env.TEST_DB ?? 'sqlite'})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('lists every action in order, with its label', async () => {
    const res = await t.admin.get(`${EVENTS}actions/`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(EXPECTED);
    expect(Object.keys(res.body[0])).toEqual(['name', 'description', 'component', 'model_name', 'requires_enterprise', 'deprecated']);
  });

  it('answers without the trailing slash too', async () => {
    expect((await t.admin.get(`${EVENTS}actions`)).body).toEqual(EXPECTED);
  });

  it('answers any authenticated user, without permissions', async () => {
    const nobody = await createUserWithToken(t);
    const res = await nobody.client.get(`${EVENTS}actions/`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(EXPECTED);
  });

  it('403 without credentials', async () => {
    const res = await t.anonymous.get(`${EVENTS}actions/`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' });
  });

  it('is not mistaken for an event id (no 404 Not found.)', async () => {
    const res = await t.admin.post(`${EVENTS}actions/`, {});
    expect(res.status).toBe(405);
    expect(res.body).toEqual({ detail: 'Method "POST" not allowed.' });
  });
});
