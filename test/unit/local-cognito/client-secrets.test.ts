// The stand-in's secret rotation targets (AddUserPoolClientSecret, ListUserPoolClientSecrets,
// DeleteUserPoolClientSecret), called as plain functions, and the SecretHash check against either secret.
import { describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../../src/cognito/secret-hash';
import type { Clock } from '../../../src/local-cognito';
import { authenticateClient } from '../../../src/local-cognito/client-auth';
import { CognitoError } from '../../../src/local-cognito/errors';
import { Store } from '../../../src/local-cognito/store';
import { addUserPoolClientSecret } from '../../../src/local-cognito/targets/add-user-pool-client-secret';
import { addUserPool } from '../../../src/local-cognito/targets/create-user-pool';
import { addUserPoolClient } from '../../../src/local-cognito/targets/create-user-pool-client';
import { deleteUserPoolClientSecret } from '../../../src/local-cognito/targets/delete-user-pool-client-secret';
import { listUserPoolClientSecrets } from '../../../src/local-cognito/targets/list-user-pool-client-secrets';
import { thrownBy } from '../../support/thrown';

let now = new Date('2030-01-01T00:00:00.000Z');
const clock: Clock = { now: () => now };
const thrown = (fn: () => unknown): CognitoError => thrownBy(CognitoError, fn);
const CUSTOM = 'custom_secret_of_thirty_two_chars';

function seeded(generateSecret = true) {
  now = new Date('2030-01-01T00:00:00.000Z');
  const d = { store: new Store(), clock };
  const { id: poolId } = addUserPool(d, {});
  const client = addUserPoolClient(d, poolId, { generateSecret });
  return { d, poolId, clientId: client.clientId, first: client.secrets?.[0]?.value ?? '' };
}

const verifies = (d: { store: Store }, clientId: string, secret: string) => {
  try {
    authenticateClient(d.store, clientId, 'jane', computeSecretHash('jane', clientId, secret));
    return true;
  } catch (error) {
    if (error instanceof CognitoError && error.type === 'NotAuthorizedException') return false;
    throw error;
  }
};

describe('local Cognito client secret rotation', () => {
  it('adds a generated second secret, returns its value once, and either secret verifies a SecretHash', () => {
    const { d, poolId, clientId, first } = seeded();
    now = new Date('2030-01-01T00:01:00.000Z');
    const added = addUserPoolClientSecret({ UserPoolId: poolId, ClientId: clientId }, d);

    const second = added.ClientSecretDescriptor.ClientSecretValue ?? '';
    expect(added.ClientSecretDescriptor).toEqual({
      ClientSecretId: `${clientId}--${now.getTime()}`,
      ClientSecretValue: expect.stringMatching(/^[\w+]{24,64}$/),
      ClientSecretCreateDate: now.getTime() / 1000,
    });
    expect(verifies(d, clientId, first)).toBe(true);
    expect(verifies(d, clientId, second)).toBe(true);
    expect(verifies(d, clientId, 'not_the_secret_at_all_000000')).toBe(false);
  });

  it('takes a custom secret and does not echo it back', () => {
    const { d, poolId, clientId } = seeded();
    const added = addUserPoolClientSecret(
      { UserPoolId: poolId, ClientId: clientId, ClientSecret: CUSTOM },
      d,
    );

    expect(added.ClientSecretDescriptor).not.toHaveProperty('ClientSecretValue');
    expect(verifies(d, clientId, CUSTOM)).toBe(true);
  });

  it('refuses a custom secret outside 24-64 characters of [\\w+], without naming the value', () => {
    const { d, poolId, clientId } = seeded();
    const error = thrown(() =>
      addUserPoolClientSecret({ UserPoolId: poolId, ClientId: clientId, ClientSecret: 'short-secret' }, d),
    );

    expect(error.type).toBe('InvalidParameterException');
    expect(error.message).not.toContain('short-secret');
  });

  it('refuses a third active secret with LimitExceededException', () => {
    const { d, poolId, clientId } = seeded();
    addUserPoolClientSecret({ UserPoolId: poolId, ClientId: clientId }, d);

    const error = thrown(() => addUserPoolClientSecret({ UserPoolId: poolId, ClientId: clientId }, d));
    expect(error.type).toBe('LimitExceededException');
  });

  it('refuses to add a secret to a client made without one', () => {
    const { d, poolId, clientId } = seeded(false);
    const error = thrown(() => addUserPoolClientSecret({ UserPoolId: poolId, ClientId: clientId }, d));
    expect(error.type).toBe('InvalidParameterException');
  });

  it('lists both secrets by id and date, never their values', () => {
    const { d, poolId, clientId } = seeded();
    now = new Date('2030-01-01T00:01:00.000Z');
    addUserPoolClientSecret({ UserPoolId: poolId, ClientId: clientId }, d);

    const listed = listUserPoolClientSecrets({ UserPoolId: poolId, ClientId: clientId }, d);
    expect(listed).toEqual({
      ClientSecrets: [
        { ClientSecretId: `${clientId}--1893456000000`, ClientSecretCreateDate: 1893456000 },
        { ClientSecretId: `${clientId}--1893456060000`, ClientSecretCreateDate: 1893456060 },
      ],
    });
  });

  it('deletes the old secret by id: it no longer verifies, the new one does', () => {
    const { d, poolId, clientId, first } = seeded();
    now = new Date('2030-01-01T00:01:00.000Z');
    const second = addUserPoolClientSecret(
      { UserPoolId: poolId, ClientId: clientId },
      d,
    ).ClientSecretDescriptor;
    const [old] = listUserPoolClientSecrets({ UserPoolId: poolId, ClientId: clientId }, d).ClientSecrets;

    expect(
      deleteUserPoolClientSecret(
        { UserPoolId: poolId, ClientId: clientId, ClientSecretId: old?.ClientSecretId ?? '' },
        d,
      ),
    ).toEqual({});
    expect(verifies(d, clientId, first)).toBe(false);
    expect(verifies(d, clientId, second.ClientSecretValue ?? '')).toBe(true);
  });

  it('refuses to delete the last secret, or one that does not exist', () => {
    const { d, poolId, clientId } = seeded();
    const [only] = listUserPoolClientSecrets({ UserPoolId: poolId, ClientId: clientId }, d).ClientSecrets;

    expect(
      thrown(() =>
        deleteUserPoolClientSecret(
          { UserPoolId: poolId, ClientId: clientId, ClientSecretId: only?.ClientSecretId ?? '' },
          d,
        ),
      ).type,
    ).toBe('InvalidParameterException');
    expect(
      thrown(() =>
        deleteUserPoolClientSecret({ UserPoolId: poolId, ClientId: clientId, ClientSecretId: 'nope--1' }, d),
      ).type,
    ).toBe('ResourceNotFoundException');
  });

  it('answers ResourceNotFoundException for an unknown client or a client of another pool', () => {
    const { d, clientId } = seeded();
    const { id: otherPool } = addUserPool(d, {});
    expect(
      thrown(() => listUserPoolClientSecrets({ UserPoolId: otherPool, ClientId: clientId }, d)).type,
    ).toBe('ResourceNotFoundException');
  });
});
