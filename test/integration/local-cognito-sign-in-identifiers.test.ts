// Pools where a user is named by more than their username, through the real SDK over HTTP: UsernameAttributes
// (sign up and in with an email or phone number; the real username is a generated sub) and AliasAttributes
// (a verified email or phone number names a confirmed user). These are the answers an attacker probes.
import {
  AdminGetUserCommand,
  AliasExistsException,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  InvalidParameterException,
  NotAuthorizedException,
  ResendConfirmationCodeCommand,
  SignUpCommand,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { type CreateUserPoolOptions, type LocalCognito } from '../../src/local-cognito';
import { startStandInClients, stopStandInClients } from '../support/stand-in-clients';
import { rejectionOf } from '../support/thrown';

const PASSWORD = 'correct-horse-battery';
const NEW_PASSWORD = 'staple-battery-horse';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let cognito: LocalCognito;
let anonymous: CognitoIdentityProviderClient;
let admin: CognitoIdentityProviderClient;
let codeCounter = 0;

beforeAll(async () => {
  ({ cognito, anonymous, admin } = await startStandInClients({
    generateCode: () => String(100000 + ++codeCounter),
  }));
});

afterAll(() => stopStandInClients({ cognito, anonymous, admin }));

afterEach(() => cognito.outbox.clear());

// A pool with an app client that has a secret, and calls that compute the SecretHash over the Username exactly
// as they send it.
function poolWith(options: CreateUserPoolOptions) {
  const { id: poolId } = cognito.createUserPool(options);
  const { clientId, clientSecret = '' } = cognito.createUserPoolClient(poolId, { generateSecret: true });
  const SecretHash = (username: string) => computeSecretHash(username, clientId, clientSecret);
  return {
    poolId,
    signUp: (username: string, attributes: Record<string, string> = {}) =>
      anonymous.send(
        new SignUpCommand({
          ClientId: clientId,
          Username: username,
          Password: PASSWORD,
          SecretHash: SecretHash(username),
          UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
        }),
      ),
    confirm: (username: string, code = cognito.outbox.latestCode(username), force?: boolean) =>
      anonymous.send(
        new ConfirmSignUpCommand({
          ClientId: clientId,
          Username: username,
          ConfirmationCode: code,
          SecretHash: SecretHash(username),
          ...(force !== undefined && { ForceAliasCreation: force }),
        }),
      ),
    resend: (username: string) =>
      anonymous.send(
        new ResendConfirmationCodeCommand({
          ClientId: clientId,
          Username: username,
          SecretHash: SecretHash(username),
        }),
      ),
    forgot: (username: string, hashOver = username) =>
      anonymous.send(
        new ForgotPasswordCommand({
          ClientId: clientId,
          Username: username,
          SecretHash: SecretHash(hashOver),
        }),
      ),
    confirmForgot: (username: string, code: string | undefined) =>
      anonymous.send(
        new ConfirmForgotPasswordCommand({
          ClientId: clientId,
          Username: username,
          ConfirmationCode: code,
          Password: NEW_PASSWORD,
          SecretHash: SecretHash(username),
        }),
      ),
    signIn: (username: string, password: string) =>
      anonymous.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: clientId,
          AuthParameters: { USERNAME: username, PASSWORD: password, SECRET_HASH: SecretHash(username) },
        }),
      ),
    getUser: (username: string) =>
      admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username })),
  };
}

describe('a pool that signs in by email (UsernameAttributes)', () => {
  const byEmail: CreateUserPoolOptions = { usernameAttributes: ['email'] };

  it('makes the sub the real username, sets the email from the Username, and answers UserSub', async () => {
    const pool = poolWith(byEmail);

    const result = await pool.signUp('jane@example.com');
    const user = await pool.getUser('jane@example.com');

    expect(result.UserSub).toMatch(UUID);
    expect(user.Username).toBe(result.UserSub);
    expect(user.UserAttributes).toEqual(
      expect.arrayContaining([
        { Name: 'sub', Value: result.UserSub },
        { Name: 'email', Value: 'jane@example.com' },
      ]),
    );
    expect(cognito.outbox.list()).toEqual([
      expect.objectContaining({
        username: result.UserSub,
        identifier: 'jane@example.com',
        attribute: 'email',
        destination: 'jane@example.com',
      }),
    ]);
  });

  it.each([
    [['email'], 'jane', 'Username should be an email.'],
    [['phone_number'], 'jane@example.com', 'Username should be a phone number.'],
    [['email', 'phone_number'], 'jane', 'Username should be either an email or a phone number.'],
  ] as const)(
    'in a pool signing in by %j refuses the Username %s: "%s"',
    async (attributes, username, message) => {
      const pool = poolWith({ usernameAttributes: [...attributes] });

      const error = await rejectionOf(pool.signUp(username));

      expect(error).toBeInstanceOf(InvalidParameterException);
      expect(error.message).toBe(message);
    },
  );

  it('refuses a second sign-up with the same email, in any case, as Cognito does', async () => {
    const pool = poolWith(byEmail);
    await pool.signUp('jane@example.com');

    const error = await rejectionOf(pool.signUp('JANE@example.com'));

    expect(error).toBeInstanceOf(UsernameExistsException);
    expect(error.message).toBe('An account with the given email already exists.');
  });

  it('takes the email or the sub as Username in every public call, the SecretHash over what was sent', async () => {
    const pool = poolWith(byEmail);
    const { UserSub: sub = '' } = await pool.signUp('jane@example.com');

    await pool.resend(sub);
    await pool.confirm('jane@example.com', cognito.outbox.latestCode(sub));
    await pool.forgot(sub);
    await pool.confirmForgot('jane@example.com', cognito.outbox.latestCode(sub));
    const byEmailSignIn = await pool.signIn('jane@example.com', NEW_PASSWORD);
    const bySubSignIn = await pool.signIn(sub, NEW_PASSWORD);

    expect(byEmailSignIn.AuthenticationResult).toBeDefined();
    expect(bySubSignIn.AuthenticationResult).toBeDefined();
    expect(cognito.outbox.list().map((m) => [m.reason, m.identifier])).toEqual([
      ['SignUp', 'jane@example.com'],
      ['ResendCode', sub],
      ['ForgotPassword', sub],
    ]);
    expect((await pool.getUser(sub)).UserStatus).toBe('CONFIRMED');
  });

  it('refuses a SecretHash computed over the email when the call names the user by sub', async () => {
    const pool = poolWith(byEmail);
    const { UserSub: sub = '' } = await pool.signUp('jane@example.com');

    const error = await rejectionOf(pool.forgot(sub, 'jane@example.com'));

    expect(error).toBeInstanceOf(NotAuthorizedException);
  });

  it('does not let a user be named by an email that is not a username attribute of the pool', async () => {
    const pool = poolWith({ usernameAttributes: ['phone_number'], autoVerifiedAttributes: ['phone_number'] });
    await pool.signUp('+15555550123', { email: 'jane@example.com' });

    const error = await rejectionOf(pool.getUser('jane@example.com'));

    expect(error).toBeInstanceOf(UserNotFoundException);
    expect((await pool.getUser('+15555550123')).UserStatus).toBe('UNCONFIRMED');
  });

  it('in a pool signing in by email or phone, names a user by either and refuses a phone number in use', async () => {
    const pool = poolWith({
      usernameAttributes: ['email', 'phone_number'],
      autoVerifiedAttributes: ['email', 'phone_number'],
    });
    const { UserSub } = await pool.signUp('+15555550123', { email: 'jane@example.com' });

    const taken = await rejectionOf(pool.signUp('sam@example.com', { phone_number: '+15555550123' }));

    expect((await pool.getUser('jane@example.com')).Username).toBe(UserSub);
    expect((await pool.getUser('+15555550123')).Username).toBe(UserSub);
    expect(taken).toBeInstanceOf(UsernameExistsException);
    expect(taken.message).toBe('An account with the given phone_number already exists.');
  });
});

describe('a pool with email as an alias (AliasAttributes)', () => {
  const emailAlias: CreateUserPoolOptions = { aliasAttributes: ['email'] };

  it('refuses a username shaped like an email', async () => {
    const error = await rejectionOf(poolWith(emailAlias).signUp('jane@example.com'));

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe(
      'Username cannot be of email format, since user pool is configured for email alias.',
    );
  });

  it('resolves the email only once the user is confirmed and the email verified', async () => {
    const pool = poolWith(emailAlias);
    await pool.signUp('jane', { email: 'jane@example.com' });

    const before = await rejectionOf(pool.forgot('jane@example.com'));
    await pool.confirm('jane');
    const after = await pool.forgot('jane@example.com');

    expect(before).toBeInstanceOf(UserNotFoundException);
    expect(after.CodeDeliveryDetails?.AttributeName).toBe('email');
    expect(cognito.outbox.list().at(-1)).toMatchObject({ username: 'jane', identifier: 'jane@example.com' });
    expect((await pool.getUser('jane@example.com')).Username).toBe('jane');
  });

  it('refuses to confirm a second account with a verified email of another (AliasExistsException), and leaves it UNCONFIRMED', async () => {
    const pool = poolWith(emailAlias);
    await pool.signUp('jane', { email: 'jane@example.com' });
    await pool.confirm('jane');
    await pool.signUp('mallory', { email: 'jane@example.com' });

    const error = await rejectionOf(pool.confirm('mallory'));

    expect(error).toBeInstanceOf(AliasExistsException);
    expect(error.message).toBe('An account with the given email already exists.');
    expect((await pool.getUser('mallory')).UserStatus).toBe('UNCONFIRMED');
    expect((await pool.getUser('jane@example.com')).Username).toBe('jane');
  });

  it('moves the alias with ForceAliasCreation, leaving the email unverified in the first account', async () => {
    const pool = poolWith(emailAlias);
    await pool.signUp('jane', { email: 'jane@example.com' });
    await pool.confirm('jane');
    await pool.signUp('sam', { email: 'jane@example.com' });

    await pool.confirm('sam', cognito.outbox.latestCode('sam'), true);

    expect((await pool.getUser('jane@example.com')).Username).toBe('sam');
    expect((await pool.getUser('jane')).UserAttributes).toContainEqual({
      Name: 'email_verified',
      Value: 'false',
    });
  });
});

describe('CreateUserPool over the wire', () => {
  it('takes UsernameAttributes and describes them back', async () => {
    const { UserPool } = await admin.send(
      new CreateUserPoolCommand({ PoolName: 'by-email', UsernameAttributes: ['email'] }),
    );

    expect(UserPool?.UsernameAttributes).toEqual(['email']);
    expect(UserPool).not.toHaveProperty('AliasAttributes');
  });

  it('refuses UsernameAttributes together with AliasAttributes', async () => {
    const error = await rejectionOf(
      admin.send(
        new CreateUserPoolCommand({
          PoolName: 'both',
          UsernameAttributes: ['email'],
          AliasAttributes: ['preferred_username'],
        }),
      ),
    );

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe(
      'Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.',
    );
  });
});
