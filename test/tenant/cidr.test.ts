import { describe, expect, it } from 'vitest';
import { metadataExcepts, parseCidr } from '../../src/tenant/index.ts';

describe('CIDRs', () => {
  it.each([
    '10.20.0.0/16',
    '0.0.0.0/0',
    '192.168.1.7/32',
    '2001:db8::/32',
    '::/0',
    'fd00:ec2::254/128',
    '2001:db8:0:1::/64',
  ])('GIVEN canonical %s THEN it is accepted', (cidr) => expect(parseCidr(cidr).ok).toBe(true));

  it.each([
    ['10.20.0.1/16', '10.20.0.0/16'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['2001:db8:0:0:0:0:0:0/32', '2001:db8::/32'],
    ['2001:db8::1/32', '2001:db8::/32'],
    ['10.0.0.1', '10.0.0.1/32'],
  ])('GIVEN %s THEN the fix is %s', (cidr, fixed) => {
    const result = parseCidr(cidr);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fix).toContain(`"${fixed}"`);
  });

  it.each(['10.0.0.0/33', 'x/8', '10.0.0.0/8/8', '300.1.1.1/32', '', '10.0.0.0/-1'])(
    'GIVEN nonsense %j THEN it is refused',
    (cidr) => {
      expect(parseCidr(cidr).ok).toBe(false);
    },
  );

  it.each([
    ['0.0.0.0/0', ['169.254.169.254/32']],
    ['169.254.0.0/16', ['169.254.169.254/32']],
    ['128.0.0.0/1', ['169.254.169.254/32']],
    ['10.0.0.0/8', []],
    ['0.0.0.0/1', []],
    ['169.254.169.254/32', []],
    ['::/0', []],
  ])('GIVEN %s THEN metadataExcepts is %j', (cidr, excepts) => {
    expect(metadataExcepts(cidr)).toEqual(excepts);
  });
});
