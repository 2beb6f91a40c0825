// The demo that `npm start` runs without Cognito settings: its pool sends a sign-up code whether a user gives
// an email, a phone number or both, and every code lands in the one outbox.
import { randomBytes } from 'node:crypto';
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { DEMO_REGION, type LocalDemo, startLocalDemo } from '../../src/dev/local-demo';

let demo: LocalDemo | undefined;
afterEach(async () => {
  await demo?.standIn.close();
  demo = undefined;
});

async function signUp(username: string, attributes: Record<string, string>) {
  if (!demo) throw new Error('no demo');
  const { clientId, clientSecret, endpoint } = demo.cognito;
  const sdk = new CognitoIdentityProviderClient({
    region: DEMO_REGION,
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    return await sdk.send(
      new SignUpCommand({
        ClientId: clientId,
        SecretHash: computeSecretHash(username, clientId, clientSecret?.reveal() ?? ''),
        Username: username,
        Password: `${randomBytes(9).toString('base64url')}-Aa1`,
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
  } finally {
    sdk.destroy();
  }
}

describe('the local demo pool', () => {
  it('texts a phone-only sign-up its code, into the outbox', async () => {
    demo = await startLocalDemo(
      0,
      () => {},
      async () => {},
    );
    const answer = await signUp('jo', { phone_number: '+447400123456' });

    expect(answer.CodeDeliveryDetails).toMatchObject({
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    });
    expect(demo.standIn.outbox.list({ username: 'jo' })).toMatchObject([
      { medium: 'SMS', destination: '+447400123456', reason: 'SignUp' },
    ]);
  });

  it('still emails an email-only sign-up, and texts a user who gives both, as Cognito does', async () => {
    demo = await startLocalDemo(
      0,
      () => {},
      async () => {},
    );
    await signUp('ann@example.com', { email: 'ann@example.com' });
    await signUp('bo', { email: 'bo@example.com', phone_number: '+447400123457' });

    expect(demo.standIn.outbox.list({ username: 'ann@example.com' }).map((m) => m.medium)).toEqual(['EMAIL']);
    expect(demo.standIn.outbox.list({ username: 'bo' }).map((m) => m.medium)).toEqual(['SMS']);
  });
});
