import { parseAuthorizationHeader } from './bearer-authentication';

describe('parseAuthorizationHeader (authentik validate_auth)', () => {
  it.each([
    [undefined, { kind: 'none' }],
    ['', { kind: 'none' }],
    ['Bearer', { kind: 'none' }],
    ['Bearer   ', { kind: 'none' }],
    ['Basic dXNlcjpwYXNz', { kind: 'unsupported' }],
    ['Bearer abc', { kind: 'bearer', key: 'abc' }],
    ['bearer abc', { kind: 'bearer', key: 'abc' }],
    ['BEARER a b', { kind: 'bearer', key: 'a b' }],
  ])('%p', (header, expected) => {
    expect(parseAuthorizationHeader(header)).toEqual(expected);
  });
});
