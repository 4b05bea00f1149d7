import type { EntityManager } from 'typeorm';
import { hasPermission, Permission, Principal } from '@app/auth';
import { superuserGroupUuids } from './group-hierarchy';

/** authentik's message for the group flag, used for every way of granting or removing superuser status. */
export const superuserStatusDenied = (value: boolean) =>
  `User does not have permission to set superuser status to ${value ? 'True' : 'False'}.`;

/**
 * Whether `principal` may make users join (`added`) or leave (`removed`) these groups. Joining a
 * group that makes superusers (flagged, or a descendant of a flagged one) makes a superuser, so
 * it needs `enable_group_superuser`, and leaving one `disable_group_superuser` — the permissions
 * authentik asks for to change the flag itself. authentik does not ask for them on membership:
 * there anyone allowed to change users or groups can make themselves a superuser. Returns the
 * refusal message, or null.
 */
export async function superuserGrantProblem(
  m: EntityManager,
  principal: Principal,
  added: Iterable<string>,
  removed: Iterable<string>,
): Promise<string | null> {
  const mayEnable = hasPermission(principal, Permission.enableGroupSuperuser);
  const mayDisable = hasPermission(principal, Permission.disableGroupSuperuser);
  if (mayEnable && mayDisable) return null;
  const superGroups = await superuserGroupUuids(m);
  if (!mayEnable && [...added].some((uuid) => superGroups.has(uuid))) return superuserStatusDenied(true);
  if (!mayDisable && [...removed].some((uuid) => superGroups.has(uuid))) return superuserStatusDenied(false);
  return null;
}
