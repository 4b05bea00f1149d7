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
  it('gives a path to its most specific routes: `me` is not an id', () => {
    expect(routes.otherMethods('PATCH', '/api/v3/core/users/me/')).toEqual(['GET']);
    expect(routes.otherMethods('GET', '/api/v3/core/users/me/')).toEqual([]);
  });
  it('is empty when the method answers the path, whatever made it a 404', () => {
    expect(routes.otherMethods('PATCH', '/api/v3/core/users/5/')).toEqual([]);
  });
  it('is empty for unknown paths', () => {
    expect(routes.otherMethods('GET', '/api/v3/nothing/')).toEqual([]);
  });
});
