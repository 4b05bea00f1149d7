/**
 * The global permissions eventlog knows (SPEC §4), named as authentik names them
 * (`<app_label>.<codename>`). Only these can be assigned to roles; a superuser has them all.
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
} as const;

export type PermissionName = (typeof Permission)[keyof typeof Permission];

export const KNOWN_PERMISSIONS: readonly PermissionName[] = Object.values(Permission);

const KNOWN = new Set<string>(KNOWN_PERMISSIONS);

export function isKnownPermission(name: string): name is PermissionName {
  return KNOWN.has(name);
}
