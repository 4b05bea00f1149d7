import { canonicalIp } from './ip-address';

describe('canonicalIp (DRF IPAddressField, protocol "both")', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    [' 192.0.2.1 ', '192.0.2.1'],
    ['::1', '::1'],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['::ffff:192.0.2.1', '192.0.2.1'],
    ['::FFFF:192.0.2.1', '192.0.2.1'],
    ['::192.0.2.1', '::c000:201'],
    ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:102:304'],
    ['fe80::1%eth0', 'fe80::1%eth0'],
  ])('%j → %j', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
  });

  it.each([
    '',
    'localhost',
    '256.0.0.1',
    '01.2.3.4',
    '1.2.3',
    '10.0.0.0/8',
    ' ::1',
    '::1 ',
    '2001:db8::g',
    `2001:0db8:0000:0000:0000:0000:0000:0001%e`,
  ])('%j is not an address', (input) => {
    expect(canonicalIp(input)).toBeNull();
  });
});
