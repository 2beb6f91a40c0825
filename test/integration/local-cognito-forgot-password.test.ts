// The password-reset flow against the local Cognito stand-in over real HTTP with the real AWS SDK: sign up,
// confirm, ForgotPassword, ConfirmForgotPassword with the code from the outbox, then InitiateAuth proves the
// old password is refused and the new one accepted.
import {
  CodeMismatchException,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ExpiredCodeException,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  InvalidParameterException,
  LimitExceededException,
  NotAuthorizedException,
  SignUpCommand,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { rejectionOf } from '../support/thrown';

const REGION = 'us-east-1';
const OLD_PASSWORD = 'correct-horse-battery';
const NEW_PASSWORD = 'staple-battery-horse';
const HOUR_MS = 60 * 60 * 1000;

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
let codeCounter = 0;
// Unsigned, as all of these actions are in AWS.
let anonymous: CognitoIdentityProviderClient;
let clientId: string;
let clientSecret: string;

beforeAll(async () => {
  clock = new TestClock();
  cognito = await startLocalCognito({ clock, generateCode: () => String(100000 + ++codeCounter) });
  anonymous = new CognitoIdentityProviderClient({ region: REGION, endpoint: cognito.url, maxAttempts: 1 });
  const { id: poolId } = cognito.createUserPool();
  const client = cognito.createUserPoolClient(poolId, { generateSecret: true });
  clientId = client.clientId;
  clientSecret = client.clientSecret ?? '';
});

afterAll(async () => {
  anonymous.destroy();
  await cognito.close();
});

const hash = (username: string) => computeSecretHash(username, clientId, clientSecret);

async function confirmedUser(username: string): Promise<void> {
  await anonymous.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: OLD_PASSWORD,
      SecretHash: hash(username),
      UserAttributes: [{ Name: 'email', Value: 'jane.doe@example.com' }],
    }),
  );
  await anonymous.send(
    new ConfirmSignUpCommand({
      ClientId: clientId,
      Username: username,
      SecretHash: hash(username),
      ConfirmationCode: cognito.outbox.latestCode(username),
    }),
  );
}

function forgot(username: string) {
  return anonymous.send(
    new ForgotPasswordCommand({ ClientId: clientId, Username: username, SecretHash: hash(username) }),
  );
}

function confirmForgot(username: string, code: string | undefined, password = NEW_PASSWORD) {
  return anonymous.send(
    new ConfirmForgotPasswordCommand({
      ClientId: clientId,
      Username: username,
      SecretHash: hash(username),
      ConfirmationCode: code,
      Password: password,
    }),
  );
}

function signIn(username: string, password: string) {
  return anonymous.send(
    new InitiateAuthCommand({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: clientId,
      AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: hash(username) },
    }),
  );
}

describe('local Cognito password reset over HTTP', () => {
  it('resets a password with the emailed code: the old password is refused, the new one signs in', async () => {
    await confirmedUser('jane');
    expect((await signIn('jane', OLD_PASSWORD)).AuthenticationResult?.TokenType).toBe('Bearer');

    const forgotten = await forgot('jane');
    expect(forgotten.CodeDeliveryDetails).toEqual({
      Destination: 'j***@e***',
      DeliveryMedium: 'EMAIL',
      AttributeName: 'email',
    });
    const sent = cognito.outbox.list({ username: 'jane' }).at(-1);
    expect(sent).toMatchObject({ reason: 'ForgotPassword', destination: 'jane.doe@example.com' });

    const confirmed = await confirmForgot('jane', sent?.code);
    expect(confirmed.$metadata.httpStatusCode).toBe(200);

    const refused = await rejectionOf(signIn('jane', OLD_PASSWORD));
    expect(refused).toBeInstanceOf(NotAuthorizedException);
    expect(refused.message).toBe('Incorrect username or password.');
    const accepted = await signIn('jane', NEW_PASSWORD);
    expect(accepted.AuthenticationResult).toMatchObject({ ExpiresIn: 3600, TokenType: 'Bearer' });
  });

  it('refuses the used code afterwards with CodeMismatchException', async () => {
    await confirmedUser('used');
    await forgot('used');
    const code = cognito.outbox.latestCode('used');
    await confirmForgot('used', code);

    const error = await rejectionOf(confirmForgot('used', code, 'yet-another-password'));

    expect(error).toBeInstanceOf(CodeMismatchException);
    expect(error.message).toBe('Invalid verification code provided, please try again.');
  });

  it('refuses a code older than an hour with ExpiredCodeException', async () => {
    await confirmedUser('late');
    await forgot('late');
    clock.advance(HOUR_MS + 1_000);

    const error = await rejectionOf(confirmForgot('late', cognito.outbox.latestCode('late')));

    expect(error).toBeInstanceOf(ExpiredCodeException);
    expect(error.message).toBe('Invalid code provided, please request a code again.');
  });

  it('answers LimitExceededException after five wrong codes', async () => {
    await confirmedUser('guesser');
    await forgot('guesser');
    for (let attempt = 0; attempt < 5; attempt++) {
      expect(await rejectionOf(confirmForgot('guesser', '000000'))).toBeInstanceOf(CodeMismatchException);
    }

    const error = await rejectionOf(confirmForgot('guesser', cognito.outbox.latestCode('guesser')));

    expect(error).toBeInstanceOf(LimitExceededException);
    expect(error.message).toBe('Attempt limit exceeded, please try after some time.');
  });

  it('refuses a wrong SecretHash, an unknown user and an unverified user with their modeled exceptions', async () => {
    const wrongHash = await rejectionOf(
      anonymous.send(
        new ForgotPasswordCommand({ ClientId: clientId, Username: 'jane', SecretHash: 'd3Jvbmc=' }),
      ),
    );
    expect(wrongHash).toBeInstanceOf(NotAuthorizedException);
    expect(wrongHash.message).toBe(`Unable to verify secret hash for client ${clientId}`);

    const unknown = await rejectionOf(forgot('nobody'));
    expect(unknown).toBeInstanceOf(UserNotFoundException);

    await anonymous.send(
      new SignUpCommand({
        ClientId: clientId,
        Username: 'unverified',
        Password: OLD_PASSWORD,
        SecretHash: hash('unverified'),
        UserAttributes: [{ Name: 'email', Value: 'u@example.com' }],
      }),
    );
    const unverified = await rejectionOf(forgot('unverified'));
    expect(unverified).toBeInstanceOf(InvalidParameterException);
    expect(unverified.message).toBe(
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
  });

  it('answers throttling on ForgotPassword when the faults name it', async () => {
    cognito.faults.set({ throttleRate: 1, actions: ['ForgotPassword'] });
    try {
      const error = await rejectionOf(forgot('jane'));
      expect(error.name).toBe('TooManyRequestsException');
    } finally {
      cognito.faults.clear();
    }
  });
});
