import { describe, expect, it } from 'vitest';
import { userFactsOf } from '../../../src/cognito/user-lookup';
import type { PoolSettings } from '../../../src/config';
import { destinationKey } from '../../../src/limits/destination';
import { contactAttributes, signUpCall } from '../../../src/user-pool-calls/sign-up/call';

const PLAIN: PoolSettings = { usernameAttributes: new Set(), lookupUsers: false };
const BY_EMAIL: PoolSettings = { usernameAttributes: new Set(['email']), lookupUsers: false };
const attrs = (list: Record<string, string>) =>
  Object.entries(list).map(([name, value]) => ({ name, value }));

describe('contactAttributes (where a sign-up code may go)', () => {
  it('in a pool that signs in by email, takes the username for the email, whatever the request gives', () => {
    expect(
      contactAttributes(
        { username: 'mallory@evil.test', userAttributes: attrs({ email: 'victim@example.com' }) },
        BY_EMAIL,
      ),
    ).toEqual([{ name: 'email', value: 'mallory@evil.test' }]);
  });

  it('elsewhere, counts an address-shaped username only where no attribute of its kind is given', () => {
    expect(contactAttributes({ username: 'victim@example.com', userAttributes: [] }, PLAIN)).toEqual([
      { name: 'email', value: 'victim@example.com' },
    ]);
    expect(
      contactAttributes(
        { username: 'victim@example.com', userAttributes: attrs({ email: 'me@example.org' }) },
        PLAIN,
      ),
    ).toEqual([{ name: 'email', value: 'me@example.org' }]);
    expect(contactAttributes({ username: 'jane', userAttributes: attrs({ name: 'Jane' }) }, PLAIN)).toEqual(
      [],
    );
  });

  it("links the new user's username and sub, and the email only where the pool signs in by it", () => {
    const output = { UserSub: 'sub-1', UserConfirmed: false, $metadata: {} };
    const input = { username: 'jane@example.com', password: 'x', userAttributes: [] };
    expect(signUpCall.newUser?.(input as never, output, BY_EMAIL)).toEqual({
      identifiers: ['jane@example.com', 'jane@example.com'],
      sub: 'sub-1',
      destinations: [destinationKey('jane@example.com')],
      phoneNumbers: [],
    });
    expect(signUpCall.newUser?.(input as never, output, PLAIN)?.identifiers).toEqual(['jane@example.com']);
  });
});

describe('userFactsOf (an AdminGetUser answer)', () => {
  it("links the identifier asked, the real username, the sub and the pool's sign-in attributes", () => {
    const answer = {
      Username: 'f00d-sub',
      UserAttributes: [
        { Name: 'sub', Value: 'f00d-sub' },
        { Name: 'email', Value: 'jane@example.com' },
        { Name: 'phone_number', Value: '+447400123456' },
      ],
    };
    expect(userFactsOf('JANE@example.com', answer, BY_EMAIL)).toEqual({
      identifiers: ['JANE@example.com', 'f00d-sub', 'jane@example.com'],
      sub: 'f00d-sub',
      destinations: [destinationKey('jane@example.com'), destinationKey('+447400123456')],
      phoneNumbers: ['+447400123456'],
    });
    expect(userFactsOf('jane', { Username: 'jane', UserAttributes: [] }, PLAIN)).toEqual({
      identifiers: ['jane', 'jane'],
      destinations: [],
      phoneNumbers: [],
    });
  });
});
