import { DataSource, SelectQueryBuilder } from 'typeorm';
import type { Principal } from '@app/auth';
import { ListQuery, applyOrdering, applySearch, booleanParam, textParam } from '@app/common';
import { Token } from '../entities/token.entity';

const ORDERING: Record<string, string> = {
  pk: 'token.tokenUuid',
  managed: 'token.managed',
  identifier: 'token.identifier',
  intent: 'token.intent',
  user: 'token.userId',
  description: 'token.description',
  expires: 'token.expires',
  expiring: 'token.expiring',
};

/** Tokens the caller may see: all for a superuser, otherwise only their own (docs/api-contract.md §4). */
export function visibleTokens(dataSource: DataSource, principal: Principal): SelectQueryBuilder<Token> {
  const qb = dataSource.getRepository(Token).createQueryBuilder('token').innerJoinAndSelect('token.user', 'owner');
  if (!principal.user.is_superuser) qb.andWhere('token.userId = :callerPk', { callerPk: principal.user.pk });
  return qb;
}

/** `core_tokens_list`: authentik's filterset fields, search fields and default ordering. */
export function tokenListQuery(dataSource: DataSource, principal: Principal, query: ListQuery): SelectQueryBuilder<Token> {
  const qb = visibleTokens(dataSource, principal);
  const exact: Record<string, string> = {
    identifier: 'token.identifier',
    intent: 'token.intent',
    user__username: 'owner.username',
    description: 'token.description',
    managed: 'token.managed',
  };
  Object.entries(exact).forEach(([param, column], i) => {
    const value = textParam(query, param);
    if (value !== undefined) qb.andWhere(`${column} = :exact${i}`, { [`exact${i}`]: value });
  });
  const expiring = booleanParam(query, 'expiring');
  if (expiring !== undefined) qb.andWhere('token.expiring = :expiring', { expiring });
  applySearch(qb, query, ['token.identifier', 'token.intent', 'owner.username', 'token.description']);
  applyOrdering(qb, query, ORDERING, ['identifier', 'expires'], 'pk');
  return qb;
}
