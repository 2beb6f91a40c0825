// Which medium and attribute a code goes by, through the real SDK over HTTP: sign-up codes when a pool
// auto-verifies both email and phone, and the simulated answers for users that do not exist, which must look
// like real ones and never reach the outbox.
import {
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CreateUserPoolOptions, type LocalCognito } from '../../src/local-cognito';
import { startStandInClients, stopStandInClients } from '../support/stand-in-clients';

const PASSWORD = 'correct-horse-battery';
const EMAIL = 'sam@example.com';
const PHONE = '+15555550123';

let cognito: LocalCognito;
let anonymous: CognitoIdentityProviderClient;
let admin: CognitoIdentityProviderClient;

beforeAll(async () => {
  ({ cognito, anonymous, admin } = await startStandInClients());
});

afterAll(() => stopStandInClients({ cognito, anonymous, admin }));

afterEach(() => cognito.outbox.clear());

function clientOf(pool: CreateUserPoolOptions): { poolId: string; clientId: string } {
  const { id: poolId } = cognito.createUserPool(pool);
  return { poolId, clientId: cognito.createUserPoolClient(poolId).clientId };
}

function signUp(clientId: string, username: string, attributes: Record<string, string>) {
  return anonymous.send(
    new SignUpCommand({
      ClientId: clientId,
      Username: username,
      Password: PASSWORD,
      UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
}

describe('sign-up codes in a pool that auto-verifies email and phone_number', () => {
  const both: CreateUserPoolOptions = { autoVerifiedAttributes: ['email', 'phone_number'] };

  it('sends the code by SMS to the phone when the user gives both, as Cognito documents', async () => {
    const { clientId } = clientOf(both);

    const result = await signUp(clientId, 'sam', { email: EMAIL, phone_number: PHONE });

    expect(result.CodeDeliveryDetails).toEqual({
      Destination: '+*******0123',
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    });
    expect(cognito.outbox.list()).toEqual([
      expect.objectContaining({ attribute: 'phone_number', medium: 'SMS', destination: PHONE }),
    ]);
  });

  it('verifies only the phone number when that code confirms the user; the email stays unverified', async () => {
    const { clientId } = clientOf(both);
    await signUp(clientId, 'sam', { email: EMAIL, phone_number: PHONE });

    await anonymous.send(
      new ConfirmSignUpCommand({
        ClientId: clientId,
        Username: 'sam',
        ConfirmationCode: cognito.outbox.latestCode('sam'),
      }),
    );
    const reset = await anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'sam' }));

    expect(reset.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
  });

  it('sends the code by email when the user gives only an email', async () => {
    const { clientId } = clientOf(both);

    const result = await signUp(clientId, 'sam', { email: EMAIL });

    expect(result.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
  });

  it('resends by SMS too', async () => {
    const { clientId } = clientOf(both);
    await signUp(clientId, 'sam', { email: EMAIL, phone_number: PHONE });

    const resent = await anonymous.send(
      new ResendConfirmationCodeCommand({ ClientId: clientId, Username: 'sam' }),
    );

    expect(resent.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'SMS' });
    expect(cognito.outbox.list().map((m) => [m.reason, m.attribute])).toEqual([
      ['SignUp', 'phone_number'],
      ['ResendCode', 'phone_number'],
    ]);
  });
});

describe('simulated deliveries for users that do not exist (PreventUserExistenceErrors)', () => {
  const hiding = (pool: CreateUserPoolOptions) => clientOf({ ...pool, preventUserExistenceErrors: true });
  const resend = (clientId: string, username: string) =>
    anonymous.send(new ResendConfirmationCodeCommand({ ClientId: clientId, Username: username }));

  it('answers like a real user of the same pool would be answered: SMS where both are auto-verified', async () => {
    const { clientId } = hiding({ autoVerifiedAttributes: ['email', 'phone_number'] });

    const ghost = await resend(clientId, 'ghost');

    expect(ghost.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
    expect(ghost.CodeDeliveryDetails?.Destination).toMatch(/^\+\*{7}\d{4}$/);
  });

  it('takes the medium from the shape of the Username when that medium is auto-verified', async () => {
    const { clientId } = hiding({ autoVerifiedAttributes: ['email', 'phone_number'] });

    const byEmail = await resend(clientId, 'ghost@example.com');
    const byPhone = await resend(clientId, '+447700900123');

    expect(byEmail.CodeDeliveryDetails).toMatchObject({ DeliveryMedium: 'EMAIL', AttributeName: 'email' });
    expect(byPhone.CodeDeliveryDetails).toMatchObject({
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    });
  });

  it('never puts a simulated delivery in the outbox, and counts each one', async () => {
    const { clientId } = hiding({ autoVerifiedAttributes: ['email'] });
    await signUp(clientId, 'real', { email: 'real@example.com' });

    await resend(clientId, 'ghost');
    await anonymous.send(new ForgotPasswordCommand({ ClientId: clientId, Username: 'ghost' }));
    const outbox = (await (await fetch(`${cognito.url}/_local/outbox`)).json()) as unknown[];

    expect(cognito.outbox.list().map((m) => m.username)).toEqual(['real']);
    expect(outbox).toHaveLength(1);
    expect(cognito.simulatedDeliveries).toBe(2);
  });
});
