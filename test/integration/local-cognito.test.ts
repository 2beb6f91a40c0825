// Drives the local Cognito stand-in with the real AWS SDK over real HTTP, proving that it speaks the AWS JSON
// 1.1 protocol the way the SDK expects and that it follows Cognito's sign-up confirmation rules.
import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  ExpiredCodeException,
  InvalidParameterException,
  InvalidPasswordException,
  NotAuthorizedException,
  ResendConfirmationCodeCommand,
  ResourceNotFoundException,
  SignUpCommand,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import {
  type CreateUserPoolOptions,
  type LocalCognito,
  type OutboxMessage,
  startLocalCognito,
} from '../../src/local-cognito';
import { rejectionOf } from '../support/thrown';

const REGION = 'us-east-1';
const PASSWORD = 'correct-horse-battery';
const DAY_MS = 24 * 60 * 60 * 1000;

class TestClock {
  private current = new Date('2030-01-01T00:00:00.000Z');
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

let cognito: LocalCognito;
let clock: TestClock;
let logLines: string[];
let codeCounter = 0;
// Signed admin/management calls, as the gateway's start-up code and operators make them.
let admin: CognitoIdentityProviderClient;
// Built with no credentials at all: SignUp, ConfirmSignUp and ResendConfirmationCode are unsigned in AWS.
let anonymous: CognitoIdentityProviderClient;

beforeAll(async () => {
  clock = new TestClock();
  logLines = [];
  cognito = await startLocalCognito({
    clock,
    log: (line) => logLines.push(line),
    // Sequential codes, so "a new code" can never collide with the old one by chance.
    generateCode: () => String(100000 + ++codeCounter),
  });
  admin = new CognitoIdentityProviderClient({
    region: REGION,
    endpoint: cognito.url,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  anonymous = new CognitoIdentityProviderClient({ region: REGION, endpoint: cognito.url, maxAttempts: 1 });
});

afterAll(async () => {
  admin.destroy();
  anonymous.destroy();
  await cognito.close();
});

afterEach(() => {
  cognito.outbox.clear();
});

interface Seeded {
  poolId: string;
  clientId: string;
  clientSecret?: string;
}

function seed(pool: CreateUserPoolOptions = {}, withSecret = false): Seeded {
  const { id: poolId } = cognito.createUserPool(pool);
  return { poolId, ...cognito.createUserPoolClient(poolId, { generateSecret: withSecret }) };
}

function hashFor(seeded: Seeded, username: string): { SecretHash?: string } {
  return seeded.clientSecret === undefined
    ? {}
    : { SecretHash: computeSecretHash(username, seeded.clientId, seeded.clientSecret) };
}

async function signUp(seeded: Seeded, username: string, email = 'jane.doe@example.com') {
  return anonymous.send(
    new SignUpCommand({
      ClientId: seeded.clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: email }],
      ...hashFor(seeded, username),
    }),
  );
}

async function confirm(seeded: Seeded, username: string, code: string | undefined) {
  return anonymous.send(
    new ConfirmSignUpCommand({
      ClientId: seeded.clientId,
      Username: username,
      ConfirmationCode: code,
      ...hashFor(seeded, username),
    }),
  );
}

async function resend(seeded: Seeded, username: string) {
  return anonymous.send(
    new ResendConfirmationCodeCommand({
      ClientId: seeded.clientId,
      Username: username,
      ...hashFor(seeded, username),
    }),
  );
}

async function statusOf(seeded: Seeded, username: string) {
  const user = await admin.send(new AdminGetUserCommand({ UserPoolId: seeded.poolId, Username: username }));
  return user.UserStatus;
}

const failure = rejectionOf;

async function postRaw(target: string | undefined, body: string) {
  const response = await fetch(cognito.url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      ...(target !== undefined && { 'X-Amz-Target': target }),
    },
    body,
  });
  return { response, json: (await response.json()) as Record<string, unknown> };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('sign-up confirmation flow', () => {
  it('creates an UNCONFIRMED user and reports the code delivery with a masked email', async () => {
    const seeded = seed();
    const result = await signUp(seeded, 'jane');

    expect(result.UserConfirmed).toBe(false);
    expect(result.UserSub).toMatch(UUID);
    expect(result.CodeDeliveryDetails).toEqual({
      Destination: 'j***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    expect(await statusOf(seeded, 'jane')).toBe('UNCONFIRMED');
  });

  it('delivers the sign-up code to the outbox with the unmasked destination', async () => {
    const seeded = seed();
    await signUp(seeded, 'jane');

    const messages = cognito.outbox.list({ username: 'jane' });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      poolId: seeded.poolId,
      clientId: seeded.clientId,
      username: 'jane',
      identifier: 'jane',
      attribute: 'email',
      destination: 'jane.doe@example.com',
      medium: 'EMAIL',
      reason: 'SignUp',
      at: clock.now().toISOString(),
    });
    expect(messages[0]?.code).toMatch(/^\d{6}$/);
    expect(cognito.outbox.latestCode('jane')).toBe(messages[0]?.code);
  });

  it('serves the outbox over GET /_local/outbox, filtered by username ignoring case, newest last', async () => {
    const seeded = seed();
    await signUp(seeded, 'jane');
    await signUp(seeded, 'bob', 'bob@example.com');
    await resend(seeded, 'jane');

    const response = await fetch(`${cognito.url}/_local/outbox?username=JANE`);
    const messages = (await response.json()) as OutboxMessage[];

    expect(response.status).toBe(200);
    expect(messages.map((m) => [m.username, m.reason])).toEqual([
      ['jane', 'SignUp'],
      ['jane', 'ResendCode'],
    ]);
    expect(messages[1]?.code).toBe(cognito.outbox.latestCode('jane'));
  });

  it('issues a new code on resend, after which the previous code fails with CodeMismatchException', async () => {
    const seeded = seed();
    await signUp(seeded, 'jane');
    const first = cognito.outbox.latestCode('jane');

    const resent = await resend(seeded, 'jane');
    const second = cognito.outbox.latestCode('jane');

    expect(resent.CodeDeliveryDetails).toEqual({
      Destination: 'j***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    expect(second).not.toBe(first);
    const error = await failure(confirm(seeded, 'jane', first));
    expect(error).toBeInstanceOf(CodeMismatchException);
    expect(error.message).toBe('Invalid verification code provided, please try again.');
  });

  it('confirms with the newest code, after which AdminGetUser reports CONFIRMED and email_verified', async () => {
    const seeded = seed();
    await signUp(seeded, 'jane');
    await resend(seeded, 'jane');

    const result = await confirm(seeded, 'jane', cognito.outbox.latestCode('jane'));
    const user = await admin.send(new AdminGetUserCommand({ UserPoolId: seeded.poolId, Username: 'jane' }));

    expect(result.$metadata.httpStatusCode).toBe(200);
    expect(user).toMatchObject({ Username: 'jane', UserStatus: 'CONFIRMED', Enabled: true });
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'email', Value: 'jane.doe@example.com' },
        { Name: 'email_verified', Value: 'true' },
      ]),
    );
    expect(user.UserCreateDate).toEqual(clock.now());
  });

  it('rejects a resend for a confirmed user with InvalidParameterException "User is already confirmed."', async () => {
    const seeded = seed();
    await signUp(seeded, 'jane');
    await confirm(seeded, 'jane', cognito.outbox.latestCode('jane'));

    const error = await failure(resend(seeded, 'jane'));
    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe('User is already confirmed.');
  });

  it('rejects confirming an already confirmed user with NotAuthorizedException', async () => {
    const seeded = seed();
    await signUp(seeded, 'jane');
    const code = cognito.outbox.latestCode('jane');
    await confirm(seeded, 'jane', code);

    const error = await failure(confirm(seeded, 'jane', code));
    expect(error).toBeInstanceOf(NotAuthorizedException);
    expect(error.message).toBe('User cannot be confirmed. Current status is CONFIRMED');
  });

  it('rejects a wrong code with CodeMismatchException and leaves the user UNCONFIRMED', async () => {
    const seeded = seed();
    await signUp(seeded, 'jane');

    const error = await failure(confirm(seeded, 'jane', '000000'));
    expect(error).toBeInstanceOf(CodeMismatchException);
    expect(await statusOf(seeded, 'jane')).toBe('UNCONFIRMED');
  });

  it('delivers by SMS with a masked phone number when the pool auto-verifies phone_number', async () => {
    const seeded = seed({ autoVerifiedAttributes: ['phone_number'] });
    const result = await anonymous.send(
      new SignUpCommand({
        ClientId: seeded.clientId,
        Username: 'sam',
        Password: PASSWORD,
        UserAttributes: [
          { Name: 'email', Value: 'sam@example.com' },
          { Name: 'phone_number', Value: '+15555550123' },
        ],
      }),
    );

    expect(result.CodeDeliveryDetails).toEqual({
      Destination: '+*******0123',
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    });
    expect(cognito.outbox.list({ username: 'sam' })[0]).toMatchObject({
      destination: '+15555550123',
      medium: 'SMS',
    });
  });

  it('logs each delivered code through the injected log function', async () => {
    const seeded = seed();
    await signUp(seeded, 'jane');

    expect(logLines.at(-1)).toBe(
      `[local-cognito] code ${cognito.outbox.latestCode('jane')} for "jane" in pool ${seeded.poolId} -> jane.doe@example.com (EMAIL)`,
    );
  });
});

describe('public actions need no AWS credentials', () => {
  it('completes sign-up, resend and confirm with a client that has no credentials, sending no Authorization header', async () => {
    const seeded = seed();
    const before = cognito.calls.length;

    await signUp(seeded, 'jane');
    await resend(seeded, 'jane');
    await confirm(seeded, 'jane', cognito.outbox.latestCode('jane'));

    const calls = cognito.calls.slice(before);
    expect(calls.map((c) => c.action)).toEqual(['SignUp', 'ResendConfirmationCode', 'ConfirmSignUp']);
    expect(calls.every((c) => c.headers.authorization === undefined)).toBe(true);
  });

  it('never asks the credential provider for credentials on the public actions', async () => {
    const seeded = seed();
    let asked = 0;
    const client = new CognitoIdentityProviderClient({
      region: REGION,
      endpoint: cognito.url,
      maxAttempts: 1,
      credentials: async () => {
        asked++;
        throw new Error('public actions must not resolve credentials');
      },
    });
    try {
      await client.send(
        new SignUpCommand({
          ClientId: seeded.clientId,
          Username: 'jane',
          Password: PASSWORD,
          UserAttributes: [],
        }),
      );
      expect(asked).toBe(0);
    } finally {
      client.destroy();
    }
  });

  it('signs the admin actions with SigV4 for the configured region', async () => {
    const seeded = seed();
    await signUp(seeded, 'jane');
    await statusOf(seeded, 'jane');

    expect(cognito.calls.at(-1)?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/cognito-idp\/aws4_request/,
    );
  });
});

describe('SecretHash verification', () => {
  it('accepts sign-up, resend and confirm when each carries the correct SecretHash', async () => {
    const seeded = seed({}, true);
    await signUp(seeded, 'jane');
    await resend(seeded, 'jane');
    await confirm(seeded, 'jane', cognito.outbox.latestCode('jane'));

    expect(await statusOf(seeded, 'jane')).toBe('CONFIRMED');
  });

  it.each([
    [
      'SignUp',
      (clientId: string) =>
        anonymous.send(new SignUpCommand({ ClientId: clientId, Username: 'jane', Password: PASSWORD })),
    ],
    [
      'ResendConfirmationCode',
      (clientId: string) =>
        anonymous.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'jane' })),
    ],
    [
      'ConfirmSignUp',
      (clientId: string) =>
        anonymous.send(
          new ConfirmSignUpCommand({ ClientId: clientId, Username: 'jane', ConfirmationCode: '123456' }),
        ),
    ],
  ] as const)(
    'rejects %s without a SecretHash with NotAuthorizedException',
    async (_name, sendWithoutHash) => {
      const seeded = seed({}, true);

      const error = await failure(sendWithoutHash(seeded.clientId));
      expect(error).toBeInstanceOf(NotAuthorizedException);
      expect(error.message).toBe(`Unable to verify secret hash for client ${seeded.clientId}`);
    },
  );

  it('rejects a SecretHash computed with the wrong secret with NotAuthorizedException', async () => {
    const seeded = seed({}, true);
    const wrong = computeSecretHash('jane', seeded.clientId, 'not-the-secret');

    const error = await failure(
      anonymous.send(
        new SignUpCommand({
          ClientId: seeded.clientId,
          Username: 'jane',
          Password: PASSWORD,
          SecretHash: wrong,
        }),
      ),
    );
    expect(error).toBeInstanceOf(NotAuthorizedException);
    expect(error.message).toBe(`Unable to verify secret hash for client ${seeded.clientId}`);
  });

  it('accepts a non-ASCII username whose SecretHash is computed over its UTF-8 bytes', async () => {
    const seeded = seed({}, true);
    await signUp(seeded, 'jöhn', 'john@example.com');

    expect(await statusOf(seeded, 'jöhn')).toBe('UNCONFIRMED');
  });

  it('rejects a non-ASCII username whose SecretHash was computed over Latin-1 bytes', async () => {
    const seeded = seed({}, true);
    const latin1Hash = createHmac('sha256', seeded.clientSecret ?? '')
      .update(Buffer.from(`jöhn${seeded.clientId}`, 'latin1'))
      .digest('base64');

    const error = await failure(
      anonymous.send(
        new SignUpCommand({
          ClientId: seeded.clientId,
          Username: 'jöhn',
          Password: PASSWORD,
          SecretHash: latin1Hash,
        }),
      ),
    );
    expect(error).toBeInstanceOf(NotAuthorizedException);
  });

  it('verifies the hash over the username as sent, even when a case-insensitive pool finds the user', async () => {
    const seeded = seed({}, true);
    await signUp(seeded, 'Jane');
    const code = cognito.outbox.latestCode('Jane');
    const hashOfStoredSpelling = computeSecretHash('Jane', seeded.clientId, seeded.clientSecret ?? '');

    const error = await failure(
      anonymous.send(
        new ConfirmSignUpCommand({
          ClientId: seeded.clientId,
          Username: 'JANE',
          ConfirmationCode: code,
          SecretHash: hashOfStoredSpelling,
        }),
      ),
    );
    expect(error).toBeInstanceOf(NotAuthorizedException);
    await confirm(seeded, 'JANE', code);
    expect(await statusOf(seeded, 'jane')).toBe('CONFIRMED');
  });
});

describe('unknown clients and users', () => {
  it('rejects an unknown ClientId with ResourceNotFoundException', async () => {
    const error = await failure(resend({ poolId: 'us-east-1_none', clientId: 'nosuchclient' }, 'jane'));

    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe('User pool client nosuchclient does not exist.');
  });

  it('rejects a resend for an unknown user with UserNotFoundException', async () => {
    const error = await failure(resend(seed(), 'ghost'));

    expect(error).toBeInstanceOf(UserNotFoundException);
    expect(error.message).toBe('Username/client id combination not found.');
  });

  it('rejects confirming an unknown user with UserNotFoundException', async () => {
    const error = await failure(confirm(seed(), 'ghost', '123456'));

    expect(error).toBeInstanceOf(UserNotFoundException);
    expect(error.message).toBe('Username/client id combination not found.');
  });

  it('answers a resend for an unknown user with a simulated, stable delivery when existence errors are prevented', async () => {
    const seeded = seed({ preventUserExistenceErrors: true });

    const first = await resend(seeded, 'ghost');
    const second = await resend(seeded, 'ghost');

    expect(first.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(first.CodeDeliveryDetails?.Destination).toMatch(/^[a-z]\*\*\*@[a-z]\*\*\*$/);
    expect(second.CodeDeliveryDetails).toEqual(first.CodeDeliveryDetails);
    expect(cognito.outbox.list()).toEqual([]);
    expect(cognito.simulatedDeliveries).toBe(2);
  });

  it('answers confirming an unknown user with CodeMismatchException when existence errors are prevented', async () => {
    const seeded = seed({ preventUserExistenceErrors: true });

    const error = await failure(confirm(seeded, 'ghost', '123456'));
    expect(error).toBeInstanceOf(CodeMismatchException);
  });

  it('still rejects a sign-up for an existing user with UsernameExistsException when existence errors are prevented', async () => {
    const seeded = seed({ preventUserExistenceErrors: true });
    await signUp(seeded, 'jane');

    const error = await failure(signUp(seeded, 'jane'));
    expect(error).toBeInstanceOf(UsernameExistsException);
    expect(error.message).toBe('User already exists');
  });
});

describe('usernames', () => {
  it('treats usernames case-insensitively by default while keeping the spelling given at sign-up', async () => {
    const seeded = seed();
    await signUp(seeded, 'Jane.Doe');

    const user = await admin.send(
      new AdminGetUserCommand({ UserPoolId: seeded.poolId, Username: 'JANE.DOE' }),
    );
    const duplicate = await failure(signUp(seeded, 'jane.doe'));

    expect(user.Username).toBe('Jane.Doe');
    expect(duplicate).toBeInstanceOf(UsernameExistsException);
  });

  it('confirms a user addressed in a different case than at sign-up', async () => {
    const seeded = seed();
    await signUp(seeded, 'Jane.Doe');

    await confirm(seeded, 'jane.DOE', cognito.outbox.latestCode('jane.doe'));
    expect(await statusOf(seeded, 'Jane.Doe')).toBe('CONFIRMED');
  });

  it('keeps differently cased usernames apart in a case-sensitive pool', async () => {
    const seeded = seed({ usernameCaseSensitive: true });
    await signUp(seeded, 'Jane');
    await signUp(seeded, 'jane');

    const error = await failure(statusOf(seeded, 'JANE'));
    expect(error).toBeInstanceOf(UserNotFoundException);
    expect(error.message).toBe('User does not exist.');
  });
});

describe('confirmation code lifetime', () => {
  it('accepts a code just under 24 hours old', async () => {
    const seeded = seed();
    await signUp(seeded, 'jane');
    clock.advance(DAY_MS - 1000);

    await confirm(seeded, 'jane', cognito.outbox.latestCode('jane'));
    expect(await statusOf(seeded, 'jane')).toBe('CONFIRMED');
  });

  it('rejects a code older than 24 hours with ExpiredCodeException', async () => {
    const seeded = seed();
    await signUp(seeded, 'jane');
    clock.advance(DAY_MS + 1000);

    const error = await failure(confirm(seeded, 'jane', cognito.outbox.latestCode('jane')));
    expect(error).toBeInstanceOf(ExpiredCodeException);
    expect(error.message).toBe('Invalid code provided, please request a code again.');
  });

  it('accepts a code resent after the first one expired', async () => {
    const seeded = seed();
    await signUp(seeded, 'jane');
    clock.advance(DAY_MS + 1000);
    await resend(seeded, 'jane');

    await confirm(seeded, 'jane', cognito.outbox.latestCode('jane'));
    expect(await statusOf(seeded, 'jane')).toBe('CONFIRMED');
  });
});

describe('sign-up validation', () => {
  it('rejects a password shorter than 8 characters with InvalidPasswordException', async () => {
    const seeded = seed();
    const error = await failure(
      anonymous.send(new SignUpCommand({ ClientId: seeded.clientId, Username: 'jane', Password: 'short' })),
    );

    expect(error).toBeInstanceOf(InvalidPasswordException);
    expect(error.message).toBe('Password did not conform with policy: Password not long enough');
  });

  it('rejects a missing Username with a Cognito-style InvalidParameterException', async () => {
    const seeded = seed();
    const error = await failure(
      anonymous.send(
        new SignUpCommand({ ClientId: seeded.clientId, Username: undefined, Password: PASSWORD }),
      ),
    );

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe(
      "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null",
    );
  });
});

describe('management actions through the SDK', () => {
  it('creates a pool and a client with a secret that then serve sign-ups', async () => {
    const { UserPool } = await admin.send(
      new CreateUserPoolCommand({
        PoolName: 'sdk-seeded',
        AutoVerifiedAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
      }),
    );
    const { UserPoolClient } = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: UserPool?.Id,
        ClientName: 'gateway',
        GenerateSecret: true,
      }),
    );
    const seeded: Seeded = {
      poolId: UserPool?.Id ?? '',
      clientId: UserPoolClient?.ClientId ?? '',
      ...(UserPoolClient?.ClientSecret !== undefined && { clientSecret: UserPoolClient.ClientSecret }),
    };

    expect(UserPool).toMatchObject({ Name: 'sdk-seeded', UsernameConfiguration: { CaseSensitive: false } });
    expect(UserPool?.Id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(UserPoolClient).toMatchObject({ UserPoolId: UserPool?.Id, ClientName: 'gateway' });
    expect(UserPoolClient?.ClientId).toMatch(/^[a-z0-9]{26}$/);
    expect(UserPoolClient?.ClientSecret).toMatch(/^[a-z0-9]{51}$/);
    const result = await signUp(seeded, 'jane');
    expect(result.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
  });

  it('confirms a user with AdminConfirmSignUp without verifying the email, as AWS does', async () => {
    const seeded = seed();
    await signUp(seeded, 'jane');

    await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: seeded.poolId, Username: 'jane' }));
    const user = await admin.send(new AdminGetUserCommand({ UserPoolId: seeded.poolId, Username: 'jane' }));

    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes?.some((a) => a.Name === 'email_verified')).toBe(false);
  });
});

describe('wire protocol', () => {
  it('records each call with the exact X-Amz-Target, content type and JSON body the SDK sent', async () => {
    const seeded = seed({}, true);
    const before = cognito.calls.length;
    await signUp(seeded, 'jane');

    expect(cognito.calls.length).toBe(before + 1);
    const call = cognito.calls.at(-1);
    expect(call?.target).toBe('AWSCognitoIdentityProviderService.SignUp');
    expect(call?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(call?.body).toEqual({
      ClientId: seeded.clientId,
      SecretHash: computeSecretHash('jane', seeded.clientId, seeded.clientSecret ?? ''),
      Username: 'jane',
      Password: PASSWORD,
      UserAttributes: [{ Name: 'email', Value: 'jane.doe@example.com' }],
    });
  });

  it('sends x-amzn-RequestId on every response, which the SDK exposes as $metadata.requestId', async () => {
    const seeded = seed();
    const ok = await signUp(seeded, 'jane');
    const error = await failure(signUp(seeded, 'jane'));

    expect(ok.$metadata.requestId).toMatch(UUID);
    expect((error as UsernameExistsException).$metadata.requestId).toMatch(UUID);
    expect((error as UsernameExistsException).$metadata.httpStatusCode).toBe(400);
  });

  it('writes errors as HTTP 400 with x-amzn-ErrorType and a {__type, message} body', async () => {
    const { response, json } = await postRaw(
      'AWSCognitoIdentityProviderService.ResendConfirmationCode',
      JSON.stringify({ ClientId: 'nosuchclient', Username: 'jane' }),
    );

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException:');
    expect(json).toEqual({
      __type: 'ResourceNotFoundException',
      message: 'User pool client nosuchclient does not exist.',
    });
  });

  it('answers an unknown X-Amz-Target with 400 UnknownOperationException', async () => {
    const { response, json } = await postRaw('AWSCognitoIdentityProviderService.DeleteEverything', '{}');

    expect(response.status).toBe(400);
    expect(json.__type).toBe('UnknownOperationException');
  });

  it('answers a body that is not JSON with 400 SerializationException', async () => {
    const { response, json } = await postRaw('AWSCognitoIdentityProviderService.SignUp', 'not json');

    expect(response.status).toBe(400);
    expect(json.__type).toBe('SerializationException');
    expect(cognito.calls.at(-1)).toMatchObject({ action: 'SignUp', body: undefined, rawBody: 'not json' });
  });

  it('answers GET /_local/health with 200', async () => {
    const response = await fetch(`${cognito.url}/_local/health`);

    expect(response.status).toBe(200);
  });

  it('clears the outbox on DELETE /_local/outbox', async () => {
    await signUp(seed(), 'jane');

    const response = await fetch(`${cognito.url}/_local/outbox`, { method: 'DELETE' });

    expect(response.status).toBe(204);
    expect(cognito.outbox.list()).toEqual([]);
  });
});

describe('lifecycle', () => {
  it('closes promptly even while the SDK holds a keep-alive connection open', async () => {
    const local = await startLocalCognito();
    const client = new CognitoIdentityProviderClient({ region: REGION, endpoint: local.url, maxAttempts: 1 });
    try {
      const { id } = local.createUserPool();
      const { clientId } = local.createUserPoolClient(id);
      // Two calls, so the second reuses the SDK's pooled connection and leaves it idle but open.
      await client.send(new SignUpCommand({ ClientId: clientId, Username: 'jane', Password: PASSWORD }));
      await client.send(new SignUpCommand({ ClientId: clientId, Username: 'joe', Password: PASSWORD }));

      const started = Date.now();
      await local.close();
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      client.destroy();
    }
  });

  it('closes promptly even while a request is still arriving', async () => {
    const local = await startLocalCognito();
    const { port } = new URL(local.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    // Headers promise a body that never comes, so the connection is busy rather than idle.
    socket.write('POST / HTTP/1.1\r\nHost: local\r\nContent-Length: 100\r\n\r\n{');
    await new Promise((resolve) => setTimeout(resolve, 20));
    try {
      const started = Date.now();
      await local.close();
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      socket.destroy();
    }
  });
});

describe('DELETE /_local/limits (the limits of the gateway in front, wired by the local start-up)', () => {
  it('calls onResetLimits and answers 204', async () => {
    let resets = 0;
    const local = await startLocalCognito({ onResetLimits: async () => void resets++ });
    try {
      const response = await fetch(`${local.url}/_local/limits`, { method: 'DELETE' });
      expect(response.status).toBe(204);
      expect(resets).toBe(1);
      expect((await fetch(`${local.url}/_local/limits`)).status).toBe(405);
    } finally {
      await local.close();
    }
  });

  it('answers 500 with the reason when the reset fails', async () => {
    const local = await startLocalCognito({
      onResetLimits: async () => {
        throw new Error('redis is unreachable');
      },
    });
    try {
      const response = await fetch(`${local.url}/_local/limits`, { method: 'DELETE' });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ message: 'The limits were not reset: redis is unreachable' });
    } finally {
      await local.close();
    }
  });

  it('is not served when nothing was wired to it', async () => {
    const response = await fetch(`${cognito.url}/_local/limits`, { method: 'DELETE' });
    expect(response.status).toBe(404);
  });
});
