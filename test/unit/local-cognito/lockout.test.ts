// The temporary lockout after failed sign-ins, with the numbers Cognito's developer guide gives: five free
// failures, then 2^(n-5) seconds, at most about 15 minutes, reset by success or by 15 quiet minutes.
import { describe, expect, it } from 'vitest';
import { CognitoError } from '../../../src/local-cognito/errors';
import { MAX_LOCKOUT_MS, QUIET_RESET_MS, SignInLockout } from '../../../src/local-cognito/lockout';
import { thrownBy } from '../../support/thrown';

const START = Date.parse('2030-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(START + ms);

function failTimes(lockout: SignInLockout, times: number, when = at(0)): void {
  for (let i = 0; i < times; i++) lockout.recordFailure('user', when);
}

function isLocked(lockout: SignInLockout, when: Date): boolean {
  try {
    lockout.check('user', when);
    return false;
  } catch (error) {
    const refusal = thrownBy(CognitoError, () => {
      throw error;
    });
    expect(refusal.type).toBe('NotAuthorizedException');
    expect(refusal.message).toBe('Password attempts exceeded');
    return true;
  }
}

describe('local Cognito sign-in lockout', () => {
  it('lets four failures pass and locks for one second at the fifth', () => {
    const lockout = new SignInLockout();
    failTimes(lockout, 4);
    expect(isLocked(lockout, at(0))).toBe(false);

    lockout.recordFailure('user', at(0));

    expect(isLocked(lockout, at(999))).toBe(true);
    expect(isLocked(lockout, at(1000))).toBe(false);
  });

  it('doubles the lockout with each further failure, up to 15 minutes', () => {
    const lockout = new SignInLockout();
    failTimes(lockout, 6);
    expect(isLocked(lockout, at(1999))).toBe(true);
    expect(isLocked(lockout, at(2000))).toBe(false);

    lockout.recordFailure('user', at(2000));
    expect(isLocked(lockout, at(2000 + 3999))).toBe(true);
    expect(isLocked(lockout, at(2000 + 4000))).toBe(false);

    const many = new SignInLockout();
    failTimes(many, 30);
    expect(isLocked(many, at(MAX_LOCKOUT_MS - 1))).toBe(true);
    expect(isLocked(many, at(MAX_LOCKOUT_MS))).toBe(false);
  });

  it('keeps attempts refused during a lockout from lengthening the next one', () => {
    const lockout = new SignInLockout();
    failTimes(lockout, 5);
    for (let i = 0; i < 10; i++) expect(isLocked(lockout, at(500))).toBe(true);

    lockout.recordFailure('user', at(1000));

    expect(isLocked(lockout, at(1000 + 1999))).toBe(true);
    expect(isLocked(lockout, at(1000 + 2000))).toBe(false);
  });

  it('starts again from zero after a successful sign-in', () => {
    const lockout = new SignInLockout();
    failTimes(lockout, 5);
    lockout.recordSuccess('user');

    failTimes(lockout, 4, at(1000));

    expect(isLocked(lockout, at(1000))).toBe(false);
  });

  it('starts again from zero after 15 minutes without an attempt', () => {
    const lockout = new SignInLockout();
    failTimes(lockout, 10);
    expect(isLocked(lockout, at(31_000))).toBe(true);

    const later = 31_000 + QUIET_RESET_MS;
    expect(isLocked(lockout, at(later))).toBe(false);
    failTimes(lockout, 4, at(later));

    expect(isLocked(lockout, at(later))).toBe(false);
  });

  it('keeps counting while attempts come less than 15 minutes apart', () => {
    const lockout = new SignInLockout();
    failTimes(lockout, 10);
    const minutes = (n: number) => n * 60_000;
    expect(isLocked(lockout, at(minutes(10)))).toBe(false);
    expect(isLocked(lockout, at(minutes(20)))).toBe(false);

    // The eleventh failure, twenty minutes after the tenth: 2^6 seconds.
    lockout.recordFailure('user', at(minutes(20)));

    expect(isLocked(lockout, at(minutes(20) + 63_999))).toBe(true);
  });

  it('counts each key on its own', () => {
    const lockout = new SignInLockout();
    failTimes(lockout, 5);

    expect(() => lockout.check('someone-else', at(0))).not.toThrow();
  });
});
