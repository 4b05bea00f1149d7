import { ExecutionContext, SetMetadata, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiSecurity } from '@nestjs/swagger';
import type { PermissionName } from './permissions';
import type { Principal } from './principal';

export const PUBLIC_KEY = 'auth:public';
export const PERMISSION_KEY = 'auth:permission';
export const SUPERUSER_KEY = 'auth:superuser';

/**
 * No authentication at all (health checks, the schema, Swagger UI). The OpenAPI document adds
 * the empty security requirement to such an operation: a key is optional (src/openapi/setup-openapi.ts).
 */
export const Public = () => applyDecorators(SetMetadata(PUBLIC_KEY, true), ApiSecurity({}));

/** The caller needs this global permission (a superuser has them all); 403 otherwise. */
export const RequirePermission = (permission: PermissionName) => SetMetadata(PERMISSION_KEY, permission);

/** Only superusers. */
export const RequireSuperuser = () => SetMetadata(SUPERUSER_KEY, true);

/** The authenticated caller, as resolved by the bearer guard. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal => context.switchToHttp().getRequest().principal,
);
