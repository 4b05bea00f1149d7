import { applyDecorators } from '@nestjs/common';
import { ApiQuery } from '@nestjs/swagger';
import { PaginatedListQueryDocs, flagQuery, manyQuery, textQuery } from '@app/common';
import { USER_TYPES } from './dto/user.dto';

/** The query parameters of `core_users_list` that eventlog honours. */
export const UserListQueryDocs = () =>
  applyDecorators(
    PaginatedListQueryDocs(),
    textQuery('email'),
    flagQuery('include_groups'),
    flagQuery('include_roles'),
    flagQuery('is_active'),
    flagQuery('is_superuser'),
    textQuery('name'),
    textQuery('path'),
    textQuery('path_startswith'),
    manyQuery('roles_by_name'),
    manyQuery('roles_by_pk', 'uuid'),
    ApiQuery({ name: 'type', required: false, isArray: true, enum: USER_TYPES }),
    textQuery('username'),
    ApiQuery({ name: 'uuid', required: false, schema: { type: 'string', format: 'uuid' } }),
  );
