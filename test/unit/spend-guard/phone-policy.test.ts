import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { destinationKey, destinationKind } from '../../../src/limits/destination';
import { enforcePhonePolicy, phoneRefusal, phoneUsername } from '../../../src/spend-guard/phone-policy';
import { thrownBy } from '../../support/thrown';

const OPEN = { blockedCountries: new Set<string>() };

describe('phoneRefusal', () => {
  it.each([
    ['+447400123456', undefined, 'a UK mobile'],
    ['+12025550123', undefined, 'a US number (fixed line or mobile)'],
    ['+33612345678', undefined, 'a French mobile'],
    ['+449098790000', 'type', 'a UK premium-rate number'],
    ['+448449931234', 'type', 'a UK service number'],
    ['+44740012345', 'invalid', 'a UK mobile one digit short'],
    ['+4407400123456', 'format', 'a UK mobile with its trunk 0 kept'],
    ['+442079460000', 'type', 'a London fixed line'],
    ['+447012345678', 'type', 'a UK personal number (070)'],
    ['+448001234567', 'type', 'a UK toll-free number'],
    ['+999123456', 'invalid', 'an unassigned calling code'],
    ['447400123456', 'format', 'no +'],
    ['+44 7400 123456', 'format', 'spaces'],
    ['+440', 'invalid', 'too short to be a number'],
    ['+1234567890123456', 'format', 'longer than E.164 allows'],
    ['', 'format', 'empty'],
  ])('%s: %s (%s)', (phone, expected, _what) => {
    expect(phoneRefusal(phone, OPEN)).toBe(expected);
  });

  it('lets the number types be chosen', () => {
    const withFixed = {
      blockedCountries: new Set<string>(),
      allowedTypes: new Set(['MOBILE', 'FIXED_LINE']),
    };
    expect(phoneRefusal('+442079460000', withFixed)).toBeUndefined();
    expect(phoneRefusal('+12025550123', withFixed)).toBe('type');
  });

  it('refuses countries outside the allowed list and inside the blocked one, the block winning', () => {
    const settings = { allowedCountries: new Set(['GB', 'FR']), blockedCountries: new Set(['FR']) };
    expect(phoneRefusal('+447400123456', settings)).toBeUndefined();
    expect(phoneRefusal('+33612345678', settings)).toBe('country');
    expect(phoneRefusal('+12025550123', settings)).toBe('country');
    // +44 numbers of Guernsey are GG, not GB: an allow-list names every territory it means.
    expect(phoneRefusal('+447911123456', settings)).toBe('country');
  });

  it('accepts only strict E.164 numbers that libphonenumber finds valid and of a known, unrefused type (fast-check)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\+[0-9]{1,16}$/)), (phone) => {
        if (phoneRefusal(phone, OPEN) !== undefined) return;
        expect(phone).toMatch(/^\+[1-9]\d{1,14}$/);
        const parsed = parsePhoneNumberFromString(phone);
        expect(parsed?.isValid()).toBe(true);
        expect(['PREMIUM_RATE', 'SHARED_COST', undefined]).not.toContain(parsed?.getType());
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('enforcePhonePolicy', () => {
  it('throws PHONE_NUMBER_NOT_ALLOWED with the reason class and never the number', () => {
    const error = thrownBy(Error, () => enforcePhonePolicy(['+447400123456', '+449098790000'], OPEN));
    expect(error).toMatchObject({ extensions: { code: 'PHONE_NUMBER_NOT_ALLOWED', reason: 'type' } });
    expect(error.message).not.toContain('909');
  });

  it('treats a username written as a phone number as one', () => {
    expect(phoneUsername('+449098790000')).toEqual(['+449098790000']);
    expect(phoneUsername('jane@example.com')).toEqual([]);
    expect(phoneUsername('+jane')).toEqual([]);
  });
});

describe('destination keys', () => {
  it('say whether a code goes by email or SMS, and to which country', () => {
    expect(destinationKind(destinationKey('Jane+x@Example.com') ?? '')).toEqual({ medium: 'EMAIL' });
    expect(destinationKind(destinationKey('+44 7400 123456') ?? '')).toEqual({
      medium: 'SMS',
      country: 'GB',
    });
    expect(destinationKind(destinationKey('+999 123456') ?? '')).toEqual({ medium: 'SMS', country: 'ZZ' });
    expect(destinationKind('d:olderkeyformat')).toEqual({ medium: 'unknown' });
    // Spellings of one number are one key.
    expect(destinationKey('+44 (7400) 123-456')).toBe(destinationKey('+447400123456'));
  });
});
