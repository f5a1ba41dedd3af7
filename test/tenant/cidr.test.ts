import { describe, expect, it } from 'vitest';
import { BLOCKED_RANGES, blockedRangeContaining, egressExcepts, parseCidr } from '../../src/tenant/index.ts';
import { CLUSTER_NETWORKS } from '../../src/tenant/platform.ts';

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

  const V4_CLUSTER = ['10.244.0.0/16', '10.96.0.0/16', '10.0.0.0/16'];
  const V6_CLUSTER = ['fd00:10:244::/56', 'fd00:10:96::/112', 'fd00:10::/64'];
  const V6_TRANSLATED = ['::ffff:0:0/96', '64:ff9b::/96', '64:ff9b:1::/48'];
  it.each([
    // Issue 10, row 14: the whole IPv6 internet is accepted with every blocked range carved out.
    ['::/0', ['fe80::/10', 'fd00:ec2::/64', ...V6_TRANSLATED, ...V6_CLUSTER]],
    ['0.0.0.0/0', ['169.254.0.0/16', ...V4_CLUSTER]],
    ['128.0.0.0/1', ['169.254.0.0/16']],
    ['10.0.0.0/8', V4_CLUSTER],
    ['0.0.0.0/1', V4_CLUSTER],
    ['fd00::/8', ['fd00:ec2::/64', ...V6_CLUSTER]],
    ['::/8', V6_TRANSLATED],
    ['10.20.0.0/16', []],
    ['2001:db8::/32', []],
    // Inside a blocked range: refused by resolve, so no except list.
    ['169.254.169.254/32', []],
  ])('GIVEN %s THEN egressExcepts is %j', (cidr, excepts) => {
    expect(egressExcepts(cidr)).toEqual(excepts);
  });

  it.each([
    ['::ffff:a9fe:a9fe/128', '::ffff:0:0/96'],
    ['fd00:ec2::254/128', 'fd00:ec2::/64'],
    ['169.254.0.0/16', '169.254.0.0/16'],
    ['169.254.170.2/32', '169.254.0.0/16'],
    ['169.254.170.23/32', '169.254.0.0/16'],
    ['64:ff9b::/96', '64:ff9b::/96'],
    ['64:ff9b:1:2::/64', '64:ff9b:1::/48'],
    ['10.96.0.0/16', '10.96.0.0/16'],
  ])('GIVEN %s THEN it lies inside the blocked range %s', (cidr, range) => {
    const parsed = parseCidr(cidr);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(blockedRangeContaining(parsed.cidr)?.cidr).toBe(range);
  });

  it.each(['::/0', '0.0.0.0/0', '10.20.0.0/16', '2001:db8::/32', '169.0.0.0/8'])(
    'GIVEN %s THEN it is inside no blocked range',
    (cidr) => {
      const parsed = parseCidr(cidr);
      expect(parsed.ok && blockedRangeContaining(parsed.cidr)).toBe(undefined);
    },
  );

  it('GIVEN the blocked ranges THEN the cluster ranges of platform.ts are among them', () => {
    const blocked = BLOCKED_RANGES.map((r) => r.cidr);
    for (const cidr of Object.values(CLUSTER_NETWORKS).flat()) expect(blocked).toContain(cidr);
    expect(blocked).toContain('10.96.0.0/16');
  });
});
