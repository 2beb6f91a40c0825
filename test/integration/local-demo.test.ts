// The demo that `npm start` runs without Cognito settings: its pool sends a sign-up code whether a user gives
// an email, a phone number or both, and every code lands in the one outbox. Its stand-in listens on a fixed
// port, and a taken port stops start-up with one line naming LOCAL_COGNITO_PORT.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { DEMO_REGION, type LocalDemo, startLocalDemo } from '../../src/dev/local-demo';

let demo: LocalDemo | undefined;
const closing: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
  await demo?.standIn.close();
  demo = undefined;
});

function startDemo(port = 0): Promise<LocalDemo> {
  return startLocalDemo(
    port,
    () => {},
    async () => {},
  );
}

async function listenBlocker(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closing.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}

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
    demo = await startDemo();
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
    demo = await startDemo();
    await signUp('ann@example.com', { email: 'ann@example.com' });
    await signUp('bo', { email: 'bo@example.com', phone_number: '+447400123457' });

    expect(demo.standIn.outbox.list({ username: 'ann@example.com' }).map((m) => m.medium)).toEqual(['EMAIL']);
    expect(demo.standIn.outbox.list({ username: 'bo' }).map((m) => m.medium)).toEqual(['SMS']);
  });
});

describe("the local demo's stand-in port", () => {
  it('stops start-up with one line naming LOCAL_COGNITO_PORT when the port is taken', async () => {
    const blocker = await listenBlocker();
    const { port } = blocker.address() as AddressInfo;
    const failure = await startDemo(port).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(failure).toBe(
      `the local Cognito stand-in cannot listen on port ${port}: it is in use (another npm start?). ` +
        'Set LOCAL_COGNITO_PORT to a free port, or to 0 for any free port (its outbox URL then changes at every start)',
    );
  });
});
