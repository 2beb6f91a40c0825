// Whole-process tests: the built gateway (what `npm start` runs) started against each emulator of
// test/support/emulators.ts with the credentials it gives, through COGNITO_* variables only, as
// docs/emulators.md tells a user to; and against AWS, where nothing is relaxed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, createPoolAndClient, EMULATORS, type RunningEmulator } from '../support/emulators';
import { TEST_SESSION_KEYS } from '../support/gateway-harness';
import { signUp } from '../support/user-pool-requests';
import { MAIN, type Started, startProcess } from './process';

const RELAXED =
  "COGNITO_ENDPOINT is not an AWS endpoint: validation relaxed to accept an emulator's pool id and secret";
const PASSWORD = 'Correct-Horse-42'; // moto's default policy: 8+ characters, upper, lower, digit, symbol

const running: Started[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

const SESSION_KEY_MADE =
  'SESSION_KEYS is not set: refresh-token cookies are sealed with a key made for this process, and stop opening when it restarts';

function warnings(gateway: Started): Record<string, unknown>[] {
  return gateway.stdout
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.level === 40);
}

async function signUpThrough(url: string) {
  const username = 'jane@example.com';
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      signUp({ username, password: PASSWORD, userAttributes: [{ name: 'email', value: username }] }),
    ),
  });
  return res.json();
}

for (const emulator of EMULATORS) {
  const suite = `npm start against ${emulator.name}`;

  describe.skipIf(emulator.unavailable(suite))(suite, () => {
    let server: RunningEmulator;
    beforeAll(async () => {
      server = await emulator.start();
    });
    afterAll(() => server?.stop());

    it('starts with its own pool id and secret, warns once that validation is relaxed, and signs a user up', async () => {
      const admin = adminClient(server.url);
      const { poolId, clientId, clientSecret } = await createPoolAndClient(admin, 'gateway').finally(() =>
        admin.destroy(),
      );
      const gateway = startProcess(process.execPath, [MAIN], {
        PORT: '0',
        HOST: '127.0.0.1',
        COGNITO_ENDPOINT: server.url,
        COGNITO_USER_POOL_ID: poolId,
        COGNITO_CLIENT_ID: clientId,
        COGNITO_CLIENT_SECRET: clientSecret,
        ...emulator.gatewayEnv,
      });
      running.push(gateway);
      const listening = await gateway.waitForLog('gateway listening', 15_000);

      expect(listening).toMatchObject({ region: 'us-east-1', userPoolId: poolId, local: false });
      // A user in front of an emulator sets no session key: one is made for the process, and said so.
      expect(warnings(gateway).map((w) => w.msg)).toEqual([RELAXED, SESSION_KEY_MADE]);
      expect(await signUpThrough(listening.url as string)).toEqual({
        data: {
          signUp: {
            userConfirmed: false,
            userSub: expect.any(String),
            codeDeliveryDetails: {
              destination: emulator.deliveredTo('jane@example.com'),
              deliveryMedium: 'EMAIL',
              attributeName: 'email',
            },
          },
        },
      });
      expect([...gateway.stdout, ...gateway.stderr].join('\n')).not.toContain(clientSecret);
    });
  });
}

describe('npm start against AWS', () => {
  it('does not warn about relaxed validation', async () => {
    const gateway = startProcess(process.execPath, [MAIN], {
      PORT: '0',
      HOST: '127.0.0.1',
      COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyZ',
      COGNITO_CLIENT_ID: '18u8119jgbpr464n28s1itk2mq',
      COGNITO_CLIENT_SECRET: 'ps50nb7hd1umdnmlt1xa9nwiscqvdvzy5ijw63vcacd09yihc2b',
      SESSION_KEYS: TEST_SESSION_KEYS,
    });
    running.push(gateway);
    expect(await gateway.waitForLog('gateway listening', 15_000)).toMatchObject({ region: 'eu-west-1' });
    expect(warnings(gateway)).toEqual([]);
  });

  it('warns once for each deprecated variable that is set, naming its replacement', async () => {
    const gateway = startProcess(process.execPath, [MAIN], {
      PORT: '0',
      HOST: '127.0.0.1',
      COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyZ',
      COGNITO_CLIENT_ID: '18u8119jgbpr464n28s1itk2mq',
      COGNITO_CLIENT_SECRET: 'ps50nb7hd1umdnmlt1xa9nwiscqvdvzy5ijw63vcacd09yihc2b',
      SESSION_KEYS: TEST_SESSION_KEYS,
      LIMIT_IP_PER_HOUR: '40',
    });
    running.push(gateway);
    await gateway.waitForLog('gateway listening', 15_000);
    expect(warnings(gateway).map((w) => w.msg)).toEqual([
      'LIMIT_IP_PER_HOUR is deprecated: set LIMIT_RESEND_IP_PER_HOUR instead',
    ]);
  });
});
