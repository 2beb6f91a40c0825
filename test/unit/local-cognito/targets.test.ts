// The targets are plain functions of (body, narrow dependencies): these tests call them without HTTP.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../../src/local-cognito';
import { dispatch } from '../../../src/local-cognito/dispatch';
import { CognitoError } from '../../../src/local-cognito/errors';
import {
  newClientId,
  newClientSecret,
  newConfirmationCode,
  newUserPoolId,
} from '../../../src/local-cognito/ids';
import { Outbox } from '../../../src/local-cognito/outbox';
import type { Services } from '../../../src/local-cognito/services';
import { Store } from '../../../src/local-cognito/store';
import { adminGetUser } from '../../../src/local-cognito/targets/admin-get-user';
import { addUserPool, createUserPool } from '../../../src/local-cognito/targets/create-user-pool';
import { addUserPoolClient } from '../../../src/local-cognito/targets/create-user-pool-client';
import { resendConfirmationCode } from '../../../src/local-cognito/targets/resend-confirmation-code';
import { signUp } from '../../../src/local-cognito/targets/sign-up';
import { thrownBy } from '../../support/thrown';

const clock: Clock = { now: () => new Date('2030-01-01T00:00:00.000Z') };

function deps() {
  return { store: new Store(), clock, outbox: new Outbox(), generateCode: () => '123456' };
}

function seeded(pool: Parameters<typeof addUserPool>[1] = {}) {
  const d = deps();
  const { id: poolId } = addUserPool(d, pool);
  const { clientId } = addUserPoolClient(d, poolId, {});
  return { d, poolId, clientId };
}

const thrown = (fn: () => unknown): CognitoError => thrownBy(CognitoError, fn);

describe('local Cognito SignUp target', () => {
  it('sends no code and returns no CodeDeliveryDetails when the pool auto-verifies nothing', () => {
    const { d, clientId } = seeded({ autoVerifiedAttributes: [] });
    const result = signUp(
      {
        ClientId: clientId,
        Username: 'jane',
        Password: 'password1',
        UserAttributes: [{ Name: 'email', Value: 'j@e.com' }],
      },
      d,
    );

    expect(result).toEqual({ UserConfirmed: false, UserSub: expect.any(String) });
    expect(d.outbox.list()).toEqual([]);
  });

  it('does not let a caller mark its own email as verified', () => {
    const { d, poolId, clientId } = seeded();
    signUp(
      {
        ClientId: clientId,
        Username: 'jane',
        Password: 'password1',
        UserAttributes: [
          { Name: 'email', Value: 'j@e.com' },
          { Name: 'email_verified', Value: 'true' },
        ],
      },
      d,
    );

    const user = adminGetUser({ UserPoolId: poolId, Username: 'jane' }, d);
    expect(user.UserAttributes.map((a) => a.Name)).toEqual(['sub', 'email']);
  });

  it('rejects a malformed email with InvalidParameterException', () => {
    const { d, clientId } = seeded();
    const error = thrown(() =>
      signUp(
        {
          ClientId: clientId,
          Username: 'jane',
          Password: 'password1',
          UserAttributes: [{ Name: 'email', Value: 'nope' }],
        },
        d,
      ),
    );

    expect(error.type).toBe('InvalidParameterException');
    expect(error.message).toBe('Invalid email address format.');
  });
});

describe('local Cognito ResendConfirmationCode target', () => {
  it('refuses to resend when the user has nothing the pool auto-verifies', () => {
    const { d, clientId } = seeded({ autoVerifiedAttributes: [] });
    signUp({ ClientId: clientId, Username: 'jane', Password: 'password1' }, d);

    const error = thrown(() => resendConfirmationCode({ ClientId: clientId, Username: 'jane' }, d));
    expect(error.type).toBe('InvalidParameterException');
    expect(error.message).toBe('Cannot resend codes. Auto verification not turned on.');
  });
});

describe('local Cognito CreateUserPool target', () => {
  it('recovers accounts the legacy way (verified phone first) when AccountRecoverySetting is absent', () => {
    const d = deps();
    const { UserPool } = createUserPool({ PoolName: 'p' }, d, { region: 'us-east-1' });

    expect(d.store.getPool(String(UserPool.Id))?.accountRecovery).toBe('legacy');
    expect(UserPool).not.toHaveProperty('AccountRecoverySetting');
  });

  it.each([
    [
      [
        ['verified_phone_number', 1],
        ['verified_email', 2],
      ],
      'phone-first',
    ],
    [
      [
        ['verified_email', 2],
        ['verified_phone_number', 1],
      ],
      'phone-first',
    ],
    [
      [
        ['verified_email', 1],
        ['verified_phone_number', 2],
      ],
      'email-first',
    ],
    [[['verified_email', 1]], 'email-only'],
    [[['verified_phone_number', 1]], 'phone-only'],
  ] as const)(
    'reads RecoveryMechanisms %j by priority as %s and describes it back',
    (mechanisms, expected) => {
      const d = deps();
      const RecoveryMechanisms = mechanisms.map(([Name, Priority]) => ({ Name, Priority }));
      const { UserPool } = createUserPool(
        { PoolName: 'p', AccountRecoverySetting: { RecoveryMechanisms } },
        d,
        { region: 'us-east-1' },
      );

      expect(d.store.getPool(String(UserPool.Id))?.accountRecovery).toBe(expected);
      expect(UserPool.AccountRecoverySetting).toEqual({
        RecoveryMechanisms: [...RecoveryMechanisms].sort((a, b) => a.Priority - b.Priority),
      });
    },
  );

  it('refuses admin_only recovery, which the stand-in does not model', () => {
    const error = thrown(() =>
      createUserPool(
        {
          PoolName: 'p',
          AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] },
        },
        deps(),
        { region: 'us-east-1' },
      ),
    );

    expect(error.type).toBe('InvalidParameterException');
  });

  it('refuses a recovery priority outside 1-2 as AWS validation does', () => {
    const error = thrown(() =>
      createUserPool(
        {
          PoolName: 'p',
          AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 3 }] },
        },
        deps(),
        { region: 'us-east-1' },
      ),
    );

    expect(error.message).toBe(
      "1 validation error detected: Value '3' at 'accountRecoverySetting.recoveryMechanisms.1.member.priority' failed to satisfy constraint: Member must have value less than or equal to 2",
    );
  });

  it("applies AWS's own API defaults: case-sensitive usernames and nothing auto-verified", () => {
    const d = deps();
    const { UserPool } = createUserPool({ PoolName: 'p' }, d, { region: 'eu-west-1' });

    expect(UserPool).toMatchObject({
      UsernameConfiguration: { CaseSensitive: true },
      AutoVerifiedAttributes: [],
    });
  });

  it('creates the pool in the region the call was signed for', () => {
    const { UserPool } = createUserPool({ PoolName: 'p' }, deps(), { region: 'eu-west-1' });

    expect(UserPool.Id).toMatch(/^eu-west-1_[0-9A-Za-z]{9}$/);
    expect(UserPool.Arn).toBe(`arn:aws:cognito-idp:eu-west-1:000000000000:userpool/${String(UserPool.Id)}`);
  });

  it('rejects an auto-verified attribute other than email or phone_number', () => {
    const error = thrown(() =>
      createUserPool({ PoolName: 'p', AutoVerifiedAttributes: ['name'] }, deps(), { region: 'us-east-1' }),
    );

    expect(error.type).toBe('InvalidParameterException');
  });
});

describe('local Cognito seeding helpers', () => {
  it('takes the region from a fixed pool id', () => {
    expect(addUserPool(deps(), { id: 'eu-central-1_Fixed1234' }).region).toBe('eu-central-1');
  });

  it('rejects a fixed pool id that does not look like a Cognito one', () => {
    expect(() => addUserPool(deps(), { id: 'not-a-pool-id' })).toThrow(/Invalid user pool id/);
  });

  it('rejects a second pool with the same id', () => {
    const d = deps();
    addUserPool(d, { id: 'us-east-1_Fixed1234' });

    expect(() => addUserPool(d, { id: 'us-east-1_Fixed1234' })).toThrow(/already exists/);
  });

  it('uses a given client id and secret verbatim', () => {
    const d = deps();
    const { id } = addUserPool(d, {});
    const client = addUserPoolClient(d, id, { clientId: 'fixedclient', clientSecret: 'fixedsecret' });

    expect(client).toMatchObject({ clientId: 'fixedclient', secrets: [{ value: 'fixedsecret' }] });
  });

  it('generates ids shaped like Cognito ones', () => {
    expect(newUserPoolId('us-east-1')).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(newClientId()).toMatch(/^[a-z0-9]{26}$/);
    expect(newClientSecret()).toMatch(/^[a-z0-9]{51}$/);
    expect(newConfirmationCode()).toMatch(/^\d{6}$/);
  });
});

describe('local Cognito dispatch', () => {
  function services(overrides: Partial<Services> = {}): Services {
    return { ...deps(), calls: [], log: () => {}, ...overrides };
  }

  it('answers a call without X-Amz-Target with UnknownOperationException and still records it', async () => {
    const s = services();
    const response = await dispatch({ headers: {}, rawBody: '{}' }, s);

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ __type: 'UnknownOperationException' });
    expect(s.calls).toEqual([{ target: '', action: '', headers: {}, body: {}, rawBody: '{}' }]);
  });

  it('answers a JSON body that is not an object with SerializationException', async () => {
    const response = await dispatch(
      { headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.SignUp' }, rawBody: '[]' },
      services(),
    );

    expect(JSON.parse(response.body)).toMatchObject({ __type: 'SerializationException' });
  });

  it('turns an unexpected failure into a logged 500 InternalErrorException', async () => {
    const lines: string[] = [];
    const broken = {
      getClient: () => {
        throw new Error('boom');
      },
    } as unknown as Store;
    const response = await dispatch(
      {
        headers: { 'x-amz-target': 'AWSCognitoIdentityProviderService.ResendConfirmationCode' },
        rawBody: '{"ClientId":"c","Username":"u"}',
      },
      services({ store: broken, log: (line) => lines.push(line) }),
    );

    expect(response.status).toBe(500);
    expect(response.headers['x-amzn-ErrorType']).toBe('InternalErrorException:');
    expect(lines).toEqual(['[local-cognito] internal error in ResendConfirmationCode: Error: boom']);
  });
});
