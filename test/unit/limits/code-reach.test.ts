// The reach of a code asked by one medium (a one-time sign-in code by email or by SMS): only that medium's
// budgets and destinations are reserved, so that one medium's spent budget or cap never refuses the other's code.
import { describe, expect, it } from 'vitest';
import {
  NO_REACH,
  narrowReach,
  reachOf,
  UNKNOWN_COUNTRY,
  unknownReach,
} from '../../../src/limits/code-reach';
import { destinationKey } from '../../../src/limits/destination';

const EMAIL = destinationKey('jane@example.com') ?? '';
const PHONE = destinationKey('+447400123456') ?? '';
/** A destination whose kind is unknown (an attribute value that parsed as neither). */
const UNPARSED = 'd:?:abc';

describe('narrowReach', () => {
  const both = reachOf([EMAIL, PHONE]);

  it('keeps the reach whole when the input asks no medium (a resend, the factors on offer)', () => {
    expect(narrowReach(both, undefined)).toBe(both);
  });

  it('reserves an email code in the email budget and the inbox alone', () => {
    expect(narrowReach(both, 'EMAIL')).toEqual({
      destinations: [EMAIL],
      sms: false,
      email: true,
      smsCountries: [],
    });
  });

  it("reserves an SMS code in the SMS budgets of the number's country and the number alone", () => {
    expect(narrowReach(both, 'SMS')).toEqual({
      destinations: [PHONE],
      sms: true,
      email: false,
      smsCountries: ['GB'],
    });
  });

  it('keeps a destination of unknown kind for either medium, since it may be either', () => {
    const reach = reachOf([UNPARSED]);
    expect(narrowReach(reach, 'EMAIL').destinations).toEqual([UNPARSED]);
    expect(narrowReach(reach, 'SMS')).toMatchObject({
      destinations: [UNPARSED],
      smsCountries: [UNKNOWN_COUNTRY],
    });
  });

  it('keeps the unknown budget for any code, and for an unchecked SMS only when the code is an SMS', () => {
    expect(narrowReach(unknownReach('any'), 'EMAIL').unknown).toBe('any');
    expect(narrowReach(unknownReach('SMS'), 'SMS').unknown).toBe('SMS');
    expect(narrowReach(unknownReach('SMS'), 'EMAIL')).not.toHaveProperty('unknown');
  });

  it('reserves nothing where nothing was reserved', () => {
    expect(narrowReach(NO_REACH, 'SMS')).toEqual(NO_REACH);
  });

  it('reserves nothing for an input that asks no code (the sign-in factors on offer)', () => {
    expect(narrowReach(both, 'none')).toEqual(NO_REACH);
    expect(narrowReach(unknownReach('any'), 'none')).toEqual(NO_REACH);
  });
});
