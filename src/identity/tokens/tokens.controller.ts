import { Body, Controller, Delete, Get, Header, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ApiErrorResponses, flagQuery, ListQuery, PaginatedListQueryDocs, textQuery } from '@app/common';
import { CurrentPrincipal, Principal } from '@app/auth';
import { RecordableRequest, RequestContext } from '../../events';
import { PatchedTokenRequest, TokenRequest } from './dto/token-request.dto';
import { PaginatedTokenList, TokenResponse, TokenViewResponse } from './dto/token.dto';
import { TokensService } from './tokens.service';

/**
 * Token Viewset. Like authentik (`owner_field = "user"`, creation without a permission), any
 * authenticated user manages their own tokens; only a superuser sees or manages others'.
 */
@ApiTags('core')
@ApiBearerAuth('authentik')
@ApiErrorResponses()
@Controller('core/tokens')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Get()
  @ApiOperation({ operationId: 'core_tokens_list', description: 'Token Viewset' })
  @PaginatedListQueryDocs()
  @textQuery('description')
  @flagQuery('expiring')
  @textQuery('identifier')
  @textQuery('intent')
  @textQuery('managed')
  @textQuery('user__username')
  @ApiOkResponse({ type: PaginatedTokenList })
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListQuery) {
    return this.tokens.list(principal, query);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ operationId: 'core_tokens_create', description: 'Token Viewset' })
  @ApiCreatedResponse({ type: TokenResponse })
  create(@CurrentPrincipal() principal: Principal, @Body() body: TokenRequest, @RequestContext() request: RecordableRequest) {
    return this.tokens.createFromRequest(principal, body, { request });
  }

  @Get(':identifier')
  @ApiOperation({ operationId: 'core_tokens_retrieve', description: 'Token Viewset' })
  @ApiOkResponse({ type: TokenResponse })
  retrieve(@CurrentPrincipal() principal: Principal, @Param('identifier') identifier: string) {
    return this.tokens.retrieve(principal, identifier);
  }

  @Put(':identifier')
  @ApiOperation({ operationId: 'core_tokens_update', description: 'Token Viewset' })
  @ApiOkResponse({ type: TokenResponse })
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('identifier') identifier: string,
    @Body() body: TokenRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.tokens.replace(principal, identifier, body, { request });
  }

  @Patch(':identifier')
  @ApiOperation({ operationId: 'core_tokens_partial_update', description: 'Token Viewset' })
  @ApiOkResponse({ type: TokenResponse })
  partialUpdate(
    @CurrentPrincipal() principal: Principal,
    @Param('identifier') identifier: string,
    @Body() body: PatchedTokenRequest,
    @RequestContext() request: RecordableRequest,
  ) {
    return this.tokens.patch(principal, identifier, body, { request });
  }

  @Delete(':identifier')
  @HttpCode(204)
  @ApiOperation({ operationId: 'core_tokens_destroy', description: 'Token Viewset' })
  @ApiNoContentResponse({ description: 'No response body' })
  destroy(@CurrentPrincipal() principal: Principal, @Param('identifier') identifier: string, @RequestContext() request: RecordableRequest) {
    return this.tokens.destroy(principal, identifier, { request });
  }

  @Get(':identifier/view_key')
  @ApiOperation({ operationId: 'core_tokens_view_key_retrieve', description: 'Return token key and log access' })
  @ApiOkResponse({ type: TokenViewResponse })
  @ApiNotFoundResponse({ description: 'Token not found or expired' })
  // The answer is a credential: no browser or proxy cache may keep it.
  @Header('Cache-Control', 'no-store')
  viewKey(@CurrentPrincipal() principal: Principal, @Param('identifier') identifier: string, @RequestContext() request: RecordableRequest) {
    return this.tokens.viewKey(principal, identifier, { request });
  }
}
