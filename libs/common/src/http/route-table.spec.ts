import { RouteTable } from './route-table';

describe('RouteTable', () => {
  const routes = new RouteTable();
  routes.add(['GET', 'HEAD'], '/api/v3/core/users/:id');
  routes.add('PATCH', '/api/v3/core/users/:id/');
  routes.add('GET', '/api/v3/core/users/me');

  it('lists the other methods of a known path, with or without trailing slash', () => {
    expect(routes.otherMethods('POST', '/api/v3/core/users/5/')).toEqual(['GET', 'PATCH']);
    expect(routes.otherMethods('POST', '/api/v3/core/users/5?x=1')).toEqual(['GET', 'PATCH']);
  });
  it('is empty for unknown paths', () => {
    expect(routes.otherMethods('GET', '/api/v3/nothing/')).toEqual([]);
  });
});
