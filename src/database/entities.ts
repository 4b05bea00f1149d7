import type { DatabaseType } from '../config/app-config';
import { eventEntitySchema } from '../events/event.entity';
import { RoleMember } from '../identity/entities/role-member.entity';
import { RolePermission } from '../identity/entities/role-permission.entity';
import { Role } from '../identity/entities/role.entity';
import { Token } from '../identity/entities/token.entity';
import { User } from '../identity/entities/user.entity';
import { Notification } from '../notifications/entities/notification.entity';
import { NotificationTransport } from '../notifications/entities/notification-transport.entity';

/** Every table the app maps, for the given dialect. */
export function entitiesFor(dialect: DatabaseType) {
  return [User, Token, Role, RoleMember, RolePermission, NotificationTransport, Notification, eventEntitySchema(dialect)];
}
