// Users created or changed outside the gateway: `standIn.seedUser(...)`, POST /_local/users and
// AdminUpdateUserAttributes, then driven with the real SDK as the gateway would drive them. A seeded user gets
// no code, and follows the pool's sign-in rules.
import {
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  AliasExistsException,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  CreateUserPoolCommand,
  ForgotPasswordCommand,
  InitiateAuthCommand,
  InvalidParameterException,
  ResendConfirmationCodeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCognito } from '../../src/local-cognito';
import { CognitoError } from '../../src/local-cognito/errors';
import { startStandInClients, stopStandInClients } from '../support/stand-in-clients';
import { rejectionOf, thrownBy } from '../support/thrown';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EMAIL = 'jane@example.com';
const PHONE = '+15555550123';

let cognito: LocalCognito;
let anonymous: CognitoIdentityProviderClient;
let admin: CognitoIdentityProviderClient;

beforeAll(async () => {
  ({ cognito, anonymous, admin } = await startStandInClients());
});

afterAll(() => stopStandInClients({ cognito, anonymous, admin }));

afterEach(() => cognito.outbox.clear());

function pool(options: Parameters<LocalCognito['createUserPool']>[0] = {}) {
  const { id: poolId } = cognito.createUserPool(options);
  return { poolId, clientId: cognito.createUserPoolClient(poolId).clientId };
}

const getUser = (poolId: string, username: string) =>
  admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: username }));

function postUser(body: unknown) {
  return fetch(`${cognito.url}/_local/users`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('standIn.seedUser', () => {
  it('creates a CONFIRMED user with the given attributes and verified flags, and sends no code', async () => {
    const { poolId } = pool();

    const seeded = cognito.seedUser(poolId, {
      username: 'jane',
      attributes: { email: EMAIL, phone_number: PHONE },
      verified: ['email'],
    });
    const user = await getUser(poolId, 'jane');

    expect(seeded).toEqual({ username: 'jane', sub: expect.stringMatching(UUID) });
    expect(user.UserStatus).toBe('CONFIRMED');
    expect(user.UserAttributes).toEqual([
      { Name: 'sub', Value: seeded.sub },
      { Name: 'email', Value: EMAIL },
      { Name: 'phone_number', Value: PHONE },
      { Name: 'email_verified', Value: 'true' },
    ]);
    expect(cognito.outbox.list()).toEqual([]);
  });

  it('in a pool that signs in by email, makes the sub the username and answers to the email', async () => {
    const { poolId } = pool({ usernameAttributes: ['email'] });

    const seeded = cognito.seedUser(poolId, { username: EMAIL });

    expect(seeded.username).toBe(seeded.sub);
    expect((await getUser(poolId, EMAIL)).Username).toBe(seeded.sub);
  });

  it('leaves an UNCONFIRMED user without a code until ResendConfirmationCode sends one, which confirms it', async () => {
    const { poolId, clientId } = pool();
    cognito.seedUser(poolId, { username: 'jane', attributes: { email: EMAIL }, status: 'UNCONFIRMED' });

    await anonymous.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'jane' }));
    await anonymous.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: 'jane',
        ConfirmationCode: cognito.outbox.latestCode('jane'),
      }),
    );

    expect(cognito.outbox.list().map((m) => m.reason)).toEqual(['ResendCode']);
    expect((await getUser(poolId, 'jane')).UserStatus).toBe('CONFIRMED');
  });

  it('signs in with the password it was given', async () => {
    const { poolId, clientId } = pool();
    cognito.seedUser(poolId, { username: 'jane', password: 'seeded-password-1' });

    const result = await anonymous.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: 'jane', PASSWORD: 'seeded-password-1' },
      }),
    );

    expect(result.AuthenticationResult?.TokenType).toBe('Bearer');
  });

  it('refuses a username that exists, as SignUp would', () => {
    const { poolId } = pool();
    cognito.seedUser(poolId, { username: 'jane' });

    const error = thrownBy(CognitoError, () => cognito.seedUser(poolId, { username: 'JANE' }));

    expect([error.type, error.message]).toEqual(['UsernameExistsException', 'User already exists']);
  });

  it('refuses a verified email alias that another confirmed user holds verified', () => {
    const { poolId } = pool({ aliasAttributes: ['email'] });
    cognito.seedUser(poolId, { username: 'jane', attributes: { email: EMAIL }, verified: ['email'] });

    const error = thrownBy(CognitoError, () =>
      cognito.seedUser(poolId, { username: 'sam', attributes: { email: EMAIL }, verified: ['email'] }),
    );

    expect(error.type).toBe('AliasExistsException');
  });
});

describe('ForgotPassword for a seeded user with email and phone both verified', () => {
  const bothVerified = { username: 'jane', attributes: { email: EMAIL, phone_number: PHONE } };

  it('sends by SMS in a pool created over the wire without AccountRecoverySetting (legacy recovery)', async () => {
    const { UserPool } = await admin.send(
      new CreateUserPoolCommand({ PoolName: 'legacy', AutoVerifiedAttributes: ['email', 'phone_number'] }),
    );
    const poolId = UserPool?.Id ?? '';
    const { clientId } = cognito.createUserPoolClient(poolId);
    cognito.seedUser(poolId, { ...bothVerified, verified: ['email', 'phone_number'] });

    const result = await anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'jane' }));

    expect(result.CodeDeliveryDetails).toMatchObject({
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    });
  });

  it('sends by email in a pool whose recovery is email first', async () => {
    const { poolId, clientId } = pool({ accountRecovery: 'email-first' });
    cognito.seedUser(poolId, { ...bothVerified, verified: ['email', 'phone_number'] });

    const result = await anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'jane' }));

    expect(cognito.outbox.list()).toEqual([
      expect.objectContaining({ reason: 'ForgotPassword', attribute: 'email', destination: EMAIL }),
    ]);
    expect(result.CodeDeliveryDetails?.DeliveryMedium).toBe('EMAIL');
  });
});

describe('POST /_local/users', () => {
  it('creates the user and answers 201 with its username and sub', async () => {
    const { poolId } = pool({
      usernameAttributes: ['phone_number'],
      autoVerifiedAttributes: ['phone_number'],
    });

    const response = await postUser({
      userPoolId: poolId,
      username: PHONE,
      attributes: { email: EMAIL },
      status: 'UNCONFIRMED',
      verified: [],
    });
    const body = (await response.json()) as { username: string; sub: string };

    expect(response.status).toBe(201);
    expect(body).toEqual({ username: body.sub, sub: expect.stringMatching(UUID) });
    expect((await getUser(poolId, PHONE)).UserStatus).toBe('UNCONFIRMED');
  });

  it('answers 400 with the Cognito error type when Cognito would refuse the user', async () => {
    const { poolId } = pool({ usernameAttributes: ['email'] });
    await postUser({ userPoolId: poolId, username: EMAIL });

    const response = await postUser({ userPoolId: poolId, username: EMAIL });

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      type: 'UsernameExistsException',
      message: 'An account with the given email already exists.',
    });
  });

  it.each([
    ['a body that is not an object', [], 'The body must be a JSON object.'],
    ['no username', { userPoolId: 'us-east-1_x' }, 'username must be a non-empty string.'],
    [
      'an unknown status',
      { userPoolId: 'us-east-1_x', username: 'j', status: 'ARCHIVED' },
      'status must be one of UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED.',
    ],
    [
      'a verified name it cannot verify',
      { userPoolId: 'us-east-1_x', username: 'j', verified: ['name'] },
      'verified must be a list of email, phone_number.',
    ],
    [
      'a non-string attribute',
      { userPoolId: 'us-east-1_x', username: 'j', attributes: { email: 1 } },
      'attributes must be an object of string values.',
    ],
  ])('answers 400 for %s, echoing none of its values', async (_case, body, message) => {
    const response = await postUser(body);

    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message });
  });

  it('answers 404 for an unknown pool and 405 for another method', async () => {
    const missing = await postUser({ userPoolId: 'us-east-1_Missing1', username: 'jane' });
    const get = await fetch(`${cognito.url}/_local/users`);

    expect(missing.status).toBe(404);
    expect(get.status).toBe(405);
  });
});

describe('AdminUpdateUserAttributes', () => {
  const update = (poolId: string, username: string, attributes: Record<string, string>) =>
    admin.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: poolId,
        Username: username,
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
  const attributesOf = async (poolId: string, username: string) =>
    Object.fromEntries(
      ((await getUser(poolId, username)).UserAttributes ?? []).map((a) => [a.Name, a.Value]),
    );

  it('changes a phone number at once and leaves it unverified, sending nothing', async () => {
    const { poolId } = pool({ autoVerifiedAttributes: ['phone_number'] });
    cognito.seedUser(poolId, {
      username: 'jane',
      attributes: { phone_number: PHONE },
      verified: ['phone_number'],
    });

    await update(poolId, 'jane', { phone_number: '+447700900123' });

    expect(await attributesOf(poolId, 'jane')).toMatchObject({
      phone_number: '+447700900123',
      phone_number_verified: 'false',
    });
    expect(cognito.outbox.list()).toEqual([]);
  });

  it('verifies the new number when the same call says so, and the next reset code goes there', async () => {
    const { poolId, clientId } = pool({
      autoVerifiedAttributes: ['phone_number'],
      accountRecovery: 'phone-first',
    });
    cognito.seedUser(poolId, {
      username: 'jane',
      attributes: { phone_number: PHONE },
      verified: ['phone_number'],
    });

    await update(poolId, 'jane', { phone_number: '+447700900123', phone_number_verified: 'true' });
    await anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'jane' }));

    expect(cognito.outbox.list()).toEqual([expect.objectContaining({ destination: '+447700900123' })]);
  });

  it('deletes an attribute given a blank value, with its verified flag', async () => {
    const { poolId } = pool();
    cognito.seedUser(poolId, { username: 'jane', attributes: { email: EMAIL }, verified: ['email'] });

    await update(poolId, 'jane', { email: '' });

    expect(await attributesOf(poolId, 'jane')).toEqual({ sub: expect.any(String) });
  });

  it('refuses to change the sub', async () => {
    const { poolId } = pool();
    cognito.seedUser(poolId, { username: 'jane' });

    const error = await rejectionOf(update(poolId, 'jane', { sub: 'mine' }));

    expect(error).toBeInstanceOf(InvalidParameterException);
    expect(error.message).toBe('Cannot modify the non-mutable attribute sub');
  });

  it('refuses a sign-up code sent to the old number once the number changed', async () => {
    const { poolId, clientId } = pool({ autoVerifiedAttributes: ['phone_number'] });
    cognito.seedUser(poolId, {
      username: 'jane',
      attributes: { phone_number: PHONE },
      status: 'UNCONFIRMED',
    });
    await anonymous.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'jane' }));

    await update(poolId, 'jane', { phone_number: '+447700900123' });
    const error = await rejectionOf(
      anonymous.send(
        new ConfirmSignUpCommand({
          ClientId: clientId,
          Username: 'jane',
          ConfirmationCode: cognito.outbox.latestCode('jane'),
        }),
      ),
    );

    expect(error).toBeInstanceOf(CodeMismatchException);
  });

  it('in a pool that signs in by email, moves sign-in to the new email and refuses one held by another user', async () => {
    const { poolId } = pool({ usernameAttributes: ['email'] });
    const jane = cognito.seedUser(poolId, { username: EMAIL });
    cognito.seedUser(poolId, { username: 'sam@example.com' });

    await update(poolId, EMAIL, { email: 'jane.new@example.com' });
    const taken = await rejectionOf(update(poolId, jane.sub, { email: 'SAM@example.com' }));

    expect((await getUser(poolId, 'jane.new@example.com')).Username).toBe(jane.sub);
    expect(await rejectionOf(getUser(poolId, EMAIL))).toMatchObject({ name: 'UserNotFoundException' });
    expect(taken).toBeInstanceOf(AliasExistsException);
    expect(taken.message).toBe('An account with the given email already exists.');
  });

  it('gives a confirmed user a preferred_username alias, which must be free', async () => {
    const { poolId } = pool({ aliasAttributes: ['preferred_username'] });
    cognito.seedUser(poolId, { username: 'jane' });
    cognito.seedUser(poolId, { username: 'sam' });

    await update(poolId, 'jane', { preferred_username: 'janey' });
    const taken = await rejectionOf(update(poolId, 'sam', { preferred_username: 'janey' }));

    expect((await getUser(poolId, 'janey')).Username).toBe('jane');
    expect(taken).toBeInstanceOf(AliasExistsException);
  });
});
