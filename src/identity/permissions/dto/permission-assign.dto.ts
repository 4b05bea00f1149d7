import { ApiSchema } from '@nestjs/swagger';
import { CharField, ChoiceField, ListField, PatchedType } from '@app/common';

/** authentik's ModelEnum: the models object-level permissions could name. */
export const PERMISSION_MODELS = [
  'authentik_tenants.domain',
  'authentik_core.group',
  'authentik_core.user',
  'authentik_core.application',
  'authentik_core.applicationentitlement',
  'authentik_core.token',
  'authentik_core.objectattribute',
  'authentik_core.actor',
  'authentik_crypto.certificatekeypair',
  'authentik_endpoints.deviceuserbinding',
  'authentik_endpoints.deviceaccessgroup',
  'authentik_endpoints.endpointstage',
] as const;

// Items are checked by the service, which reports them per index as DRF's ListField does.
const anyItem = () => null;

/** Request to assign a new permission */
export class PermissionAssignRequest {
  @ListField(anyItem, { required: true })
  permissions!: string[];

  @ChoiceField(PERMISSION_MODELS)
  model?: (typeof PERMISSION_MODELS)[number];

  @CharField()
  object_pk?: string;
}

/**
 * Request to assign a new permission. Only the documented shape of the unassign body: authentik
 * validates that body with the assign serializer (`permissions` required), and so does the
 * controller, which takes a `PermissionAssignRequest`.
 */
export class PatchedPermissionAssignRequest extends PatchedType(PermissionAssignRequest) {}

/** Result from assigning permissions to a user/role */
@ApiSchema({ name: 'PermissionAssignResult' })
export class PermissionAssignResult {
  id!: string;
}
