/**
 * The global permissions eventlog knows (docs/api-contract.md §4), named as authentik names them
 * (`<app_label>.<codename>`). Only these can be assigned to roles; a superuser has them all.
 * Code names a permission through this object (`@RequirePermission(Permission.viewEvent)`,
 * `hasPermission(principal, Permission.viewUser)`), never as a string literal.
 *
 * To add one: add a key here with authentik's exact name (its `<app_label>.<codename>`, as
 * authentik's `Permission` table lists it). It becomes assignable to roles
 * (`rbac/permissions/assigned_by_roles/…/assign/`), listed for superusers in `users/me/`
 * when it is an `authentik_rbac` one, and usable in `@RequirePermission`. No migration is needed:
 * roles store permission names as text.
 */
export const Permission = {
  viewEvent: 'authentik_events.view_event',
  addEvent: 'authentik_events.add_event',
  changeEvent: 'authentik_events.change_event',
  deleteEvent: 'authentik_events.delete_event',
  viewUser: 'authentik_core.view_user',
  addUser: 'authentik_core.add_user',
  changeUser: 'authentik_core.change_user',
  deleteUser: 'authentik_core.delete_user',
  viewToken: 'authentik_core.view_token',
  addToken: 'authentik_core.add_token',
  changeToken: 'authentik_core.change_token',
  deleteToken: 'authentik_core.delete_token',
  viewRole: 'authentik_rbac.view_role',
  addRole: 'authentik_rbac.add_role',
  changeRole: 'authentik_rbac.change_role',
  deleteRole: 'authentik_rbac.delete_role',
  assignRolePermissions: 'authentik_rbac.assign_role_permissions',
  viewNotificationTransport: 'authentik_events.view_notificationtransport',
  addNotificationTransport: 'authentik_events.add_notificationtransport',
  changeNotificationTransport: 'authentik_events.change_notificationtransport',
  deleteNotificationTransport: 'authentik_events.delete_notificationtransport',
  viewNotification: 'authentik_events.view_notification',
  changeNotification: 'authentik_events.change_notification',
  deleteNotification: 'authentik_events.delete_notification',
  viewNotificationRule: 'authentik_events.view_notificationrule',
  addNotificationRule: 'authentik_events.add_notificationrule',
  changeNotificationRule: 'authentik_events.change_notificationrule',
  deleteNotificationRule: 'authentik_events.delete_notificationrule',
  // Groups, event-matcher policies and policy bindings.
  viewGroup: 'authentik_core.view_group',
  addGroup: 'authentik_core.add_group',
  changeGroup: 'authentik_core.change_group',
  deleteGroup: 'authentik_core.delete_group',
  addUserToGroup: 'authentik_core.add_user_to_group',
  removeUserFromGroup: 'authentik_core.remove_user_from_group',
  enableGroupSuperuser: 'authentik_core.enable_group_superuser',
  disableGroupSuperuser: 'authentik_core.disable_group_superuser',
  viewEventMatcherPolicy: 'authentik_policies_event_matcher.view_eventmatcherpolicy',
  addEventMatcherPolicy: 'authentik_policies_event_matcher.add_eventmatcherpolicy',
  changeEventMatcherPolicy: 'authentik_policies_event_matcher.change_eventmatcherpolicy',
  deleteEventMatcherPolicy: 'authentik_policies_event_matcher.delete_eventmatcherpolicy',
  viewPolicyBinding: 'authentik_policies.view_policybinding',
  addPolicyBinding: 'authentik_policies.add_policybinding',
  changePolicyBinding: 'authentik_policies.change_policybinding',
  deletePolicyBinding: 'authentik_policies.delete_policybinding',
} as const;

/**
 * Permissions a feature module requires on its own routes without listing them above, declared
 * by augmenting this interface (the module recipe in the README does). The guard checks them
 * like any other; only the ones in `Permission` can be assigned to roles through the API.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface ModulePermissions {}

/** A permission `@RequirePermission` and `hasPermission` accept: one of the catalogue's or a module's. */
export type PermissionName = (typeof Permission)[keyof typeof Permission] | ModulePermissions[keyof ModulePermissions];

export const KNOWN_PERMISSIONS: readonly PermissionName[] = Object.values(Permission);

const KNOWN = new Set<string>(KNOWN_PERMISSIONS);

export function isKnownPermission(name: string): name is PermissionName {
  return KNOWN.has(name);
}
