// The demo that `npm start` runs without Cognito settings: its pool sends a sign-up code whether a user gives
// an email, a phone number or both, and every code lands in the one outbox, which the gateway shows the demo
// page at /demo/outbox (local mode only, to a browser on this machine). Its stand-in listens on a fixed port,
// and a taken port stops start-up with one line naming LOCAL_COGNITO_PORT.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterEach, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { loadConfig } from '../../src/config';
import { developmentAdditions } from '../../src/dev/development';
import { DEMO_REGION, type LocalDemo, startLocalDemo } from '../../src/dev/local-demo';
import { NOT_LOOPBACK_MESSAGE, OUTBOX_PATH } from '../../src/dev/outbox-route';
import { createLogger } from '../../src/logger';
import { createGateway } from '../../src/node-server/start-server';
import { USER_POOL_CALL_LIMITS } from '../../src/user-pool-calls/registry';
import {
  type GatewayHarness,
  HARNESS_ENV,
  startGatewayHarness,
  startHarness,
} from '../support/gateway-harness';
import { signUp as signUpRequest } from '../support/user-pool-requests';

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

/** The gateway in front of the local demo's pool, with what main.ts adds in local mode. */
async function gatewayInFront(local: LocalDemo, env: Record<string, string> = {}): Promise<GatewayHarness> {
  const { endpoint, userPoolId, clientId, clientSecret } = local.cognito;
  const h = await startGatewayHarness(
    {
      url: endpoint ?? '',
      poolId: userPoolId ?? '',
      clientId,
      clientSecret: clientSecret?.reveal() ?? '',
    },
    { env, development: developmentAdditions({ outbox: local.standIn.outbox }) },
  );
  closing.push(() => h.close());
  return h;
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

describe("the demo page's outbox at /demo/outbox", () => {
  it("answers the local stand-in's codes, newest first, with destination and medium, SMS codes too", async () => {
    demo = await startDemo();
    const h = await gatewayInFront(demo);
    const signUp = (username: string, attributes: Array<{ name: string; value: string }>) =>
      h.graphql(signUpRequest({ username, password: 'Passw0rd-long-enough', userAttributes: attributes }));
    expect((await signUp('sms.user', [{ name: 'phone_number', value: '+447400123458' }])).status).toBe(200);
    expect((await signUp('mail@example.com', [{ name: 'email', value: 'mail@example.com' }])).status).toBe(
      200,
    );

    const res = await fetch(new URL(OUTBOX_PATH, h.url));
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    const { messages } = (await res.json()) as { messages: Array<Record<string, string>> };
    const sent = demo.standIn.outbox.list();
    // The demo user seeded at start-up got the first code; the page shows the newest first.
    expect(
      messages.map(({ code, medium, destination, reason, username }) => ({
        code,
        medium,
        destination,
        reason,
        username,
      })),
    ).toEqual([
      {
        code: demo.standIn.outbox.latestCode('mail@example.com'),
        medium: 'EMAIL',
        destination: 'mail@example.com',
        reason: 'SignUp',
        username: 'mail@example.com',
      },
      {
        code: demo.standIn.outbox.latestCode('sms.user'),
        medium: 'SMS',
        destination: '+447400123458',
        reason: 'SignUp',
        username: 'sms.user',
      },
      expect.objectContaining({ username: 'demo@example.com', medium: 'EMAIL' }),
    ]);
    expect(sent).toHaveLength(3);
  });

  it('refuses a browser on another machine, whatever X-Forwarded-For claims', async (ctx) => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && !address.internal && address.family === 'IPv4')?.address;
    if (!external) ctx.skip();
    demo = await startDemo();
    // The gateway on every interface, as `npm start` listens by default (HOST=0.0.0.0).
    const { endpoint, userPoolId, clientId, clientSecret } = demo.cognito;
    const gateway = await createGateway({
      config: loadConfig(
        {
          ...HARNESS_ENV,
          COGNITO_ENDPOINT: endpoint,
          COGNITO_USER_POOL_ID: userPoolId,
          COGNITO_CLIENT_ID: clientId,
          COGNITO_CLIENT_SECRET: clientSecret?.reveal(),
        },
        USER_POOL_CALL_LIMITS,
      ),
      cognito: demo.cognito,
      logger: createLogger('silent'),
      development: developmentAdditions({ outbox: demo.standIn.outbox }),
    });
    closing.push(() => gateway.stop());
    const port = new URL(await gateway.listen(0, '0.0.0.0')).port;

    const remote = await fetch(`http://${external}:${port}${OUTBOX_PATH}`, {
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(remote.status).toBe(403);
    expect(await remote.json()).toEqual({ error: NOT_LOOPBACK_MESSAGE });
    expect((await fetch(`http://127.0.0.1:${port}${OUTBOX_PATH}`)).status).toBe(200);
  });

  it('is absent in front of a Cognito that is not the embedded stand-in, and in production', async () => {
    const remote = await startHarness({ development: developmentAdditions() });
    closing.push(() => remote.close());
    expect((await fetch(new URL(OUTBOX_PATH, remote.url))).status).toBe(404);

    demo = await startDemo();
    const production = await gatewayInFront(demo, { NODE_ENV: 'production' });
    expect((await fetch(new URL(OUTBOX_PATH, production.url))).status).toBe(404);
    // The route is there in local mode outside production: the 404s above are its absence.
    const local = await gatewayInFront(demo);
    expect((await fetch(new URL(OUTBOX_PATH, local.url))).status).toBe(200);
  });
});
