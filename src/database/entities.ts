import type { DatabaseType } from '../config/app-config';
import { eventEntitySchema } from '../events/event.entity';
import { GroupMember } from '../identity/entities/group-member.entity';
import { GroupParent } from '../identity/entities/group-parent.entity';
import { GroupRole } from '../identity/entities/group-role.entity';
import { Group } from '../identity/entities/group.entity';
import { RoleMember } from '../identity/entities/role-member.entity';
import { RolePermission } from '../identity/entities/role-permission.entity';
import { Role } from '../identity/entities/role.entity';
import { Token } from '../identity/entities/token.entity';
import { User } from '../identity/entities/user.entity';
import { Notification } from '../notifications/entities/notification.entity';
import { NotificationTransport } from '../notifications/entities/notification-transport.entity';
import { NotificationRule } from '../notifications/entities/notification-rule.entity';
import { NotificationRuleTransport } from '../notifications/entities/notification-rule-transport.entity';
import { NotificationDelivery } from '../notifications/entities/notification-delivery.entity';
import { POLICY_ENTITIES } from '../policies/entities';
import { JobLease } from './leases/job-lease.entity';

/** Every table the app maps, for the given dialect. */
export function entitiesFor(dialect: DatabaseType) {
  return [
    User,
    Token,
    Role,
    RoleMember,
    RolePermission,
    Group,
    GroupMember,
    GroupParent,
    GroupRole,
    ...POLICY_ENTITIES,
    NotificationTransport,
    Notification,
    NotificationRule,
    NotificationRuleTransport,
    NotificationDelivery,
    eventEntitySchema(dialect),
    JobLease,
  ];
}
