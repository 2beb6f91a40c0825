import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { canonicalIp } from '../../../src/http/client-ip';

describe('canonicalIp', () => {
  it('gives every spelling of one address the same form', () => {
    for (const spelling of [
      '198.51.100.7',
      '::ffff:198.51.100.7',
      '::ffff:c633:6407',
      '0:0:0:0:0:ffff:198.51.100.7',
    ]) {
      expect(canonicalIp(spelling)).toBe('198.51.100.7');
    }
    // A zone id names the sender's own interface, not another address: it never makes a second spelling.
    for (const spelling of [
      '2001:db8:1::1',
      '2001:0db8:0001:0000:0000:0000:0000:0001',
      '2001:DB8:1:0::1',
      '2001:db8:1::1%eth0',
      '[2001:db8:1::1%3]:443',
    ]) {
      expect(canonicalIp(spelling)).toBe('2001:db8:1::1');
    }
  });

  it('refuses what is not an address', () => {
    for (const junk of ['not-an-ip', '1.2.3', '0x7f.1', '', '1.2.3.4.5', '999.1.1.1'])
      expect(canonicalIp(junk)).toBeUndefined();
  });

  it('spells every dotted-decimal IPv4 text as ipaddr.js does, or refuses it (leading zeros, parts past 255)', () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 999 }).map(String), fc.stringMatching(/^0\d{1,2}$/));
    fc.assert(
      fc.property(fc.array(part, { minLength: 4, maxLength: 4 }), (parts) => {
        const text = parts.join('.');
        const expected = ipaddr.IPv4.isValidFourPartDecimal(text) ? ipaddr.parse(text).toString() : undefined;
        expect(canonicalIp(text)).toBe(expected);
      }),
    );
  });
});
