// Whole-process tests: the built gateway (what `npm start` runs) started against moto and cognito-local with
// the credentials they give, through COGNITO_* variables only, as docs/emulators.md tells a user to.
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CognitoLocalServer,
  skipWithoutCognitoLocal,
  startCognitoLocal,
} from '../support/cognito-local-server';
import { type MotoServer, skipWithoutMoto, startMoto } from '../support/moto-server';
import { MAIN, type Started, startProcess } from './process';

const RELAXED =
  "COGNITO_ENDPOINT is not an AWS endpoint: validation relaxed to accept an emulator's pool id and secret";
const SIGN_UP = {
  query:
    'mutation SignUp($input: SignUpInput!) { signUp(input: $input) { userConfirmed codeDeliveryDetails { deliveryMedium } } }',
  variables: {
    input: {
      username: 'jane@example.com',
      password: 'Correct-Horse-42',
      userAttributes: [{ name: 'email', value: 'jane@example.com' }],
    },
  },
};

const running: Started[] = [];
afterEach(() => {
  for (const p of running.splice(0)) p.child.kill('SIGKILL');
});

/** Pool and app client (with a secret) made through the SDK, as a user would with the AWS CLI. */
async function createPoolAndClient(endpoint: string) {
  const admin = new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { UserPool } = await admin.send(
      new CreateUserPoolCommand({ PoolName: 'gateway', AutoVerifiedAttributes: ['email'] }),
    );
    const { UserPoolClient } = await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: UserPool?.Id,
        ClientName: 'gateway',
        GenerateSecret: true,
      }),
    );
    return {
      poolId: UserPool?.Id ?? '',
      clientId: UserPoolClient?.ClientId ?? '',
      clientSecret: UserPoolClient?.ClientSecret ?? '',
    };
  } finally {
    admin.destroy();
  }
}

function warnings(gateway: Started): Record<string, unknown>[] {
  return gateway.stdout
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.level === 40);
}

async function signUpThrough(url: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(SIGN_UP),
  });
  return res.json();
}

describe.skipIf(skipWithoutCognitoLocal('npm start against cognito-local'))(
  'npm start against cognito-local',
  () => {
    let cognitoLocal: CognitoLocalServer;
    beforeAll(async () => {
      cognitoLocal = await startCognitoLocal();
    });
    afterAll(() => cognitoLocal?.stop());

    it('starts with its pool id and secret, warns once that validation is relaxed, and signs a user up', async () => {
      const { poolId, clientId, clientSecret } = await createPoolAndClient(cognitoLocal.url);
      const gateway = startProcess(process.execPath, [MAIN], {
        PORT: '0',
        HOST: '127.0.0.1',
        COGNITO_ENDPOINT: cognitoLocal.url,
        COGNITO_USER_POOL_ID: poolId,
        COGNITO_CLIENT_ID: clientId,
        COGNITO_CLIENT_SECRET: clientSecret,
      });
      running.push(gateway);
      const listening = await gateway.waitForLog('gateway listening', 15_000);

      expect(listening).toMatchObject({ region: 'us-east-1', userPoolId: poolId, local: false });
      expect(warnings(gateway).map((w) => w.msg)).toEqual([RELAXED]);
      expect(await signUpThrough(listening.url as string)).toEqual({
        data: { signUp: { userConfirmed: false, codeDeliveryDetails: { deliveryMedium: 'EMAIL' } } },
      });
      expect([...gateway.stdout, ...gateway.stderr].join('\n')).not.toContain(clientSecret);
    });
  },
);

describe.skipIf(skipWithoutMoto('npm start against moto'))('npm start against moto', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(() => moto?.stop());

  it('starts with its UUID secret, warns once that validation is relaxed, and signs a user up', async () => {
    const { poolId, clientId, clientSecret } = await createPoolAndClient(moto.url);
    const gateway = startProcess(process.execPath, [MAIN], {
      PORT: '0',
      HOST: '127.0.0.1',
      COGNITO_ENDPOINT: moto.url,
      COGNITO_REGION: 'us-east-1',
      COGNITO_USER_POOL_ID: poolId,
      COGNITO_CLIENT_ID: clientId,
      COGNITO_CLIENT_SECRET: clientSecret,
    });
    running.push(gateway);
    const listening = await gateway.waitForLog('gateway listening', 15_000);

    expect(warnings(gateway).map((w) => w.msg)).toEqual([RELAXED]);
    expect(await signUpThrough(listening.url as string)).toEqual({
      data: { signUp: { userConfirmed: false, codeDeliveryDetails: { deliveryMedium: 'EMAIL' } } },
    });
    expect([...gateway.stdout, ...gateway.stderr].join('\n')).not.toContain(clientSecret);
  });
});

describe('npm start against AWS', () => {
  it('does not warn about relaxed validation', async () => {
    const gateway = startProcess(process.execPath, [MAIN], {
      PORT: '0',
      HOST: '127.0.0.1',
      COGNITO_USER_POOL_ID: 'eu-west-1_AbC123xyZ',
      COGNITO_CLIENT_ID: '18u8119jgbpr464n28s1itk2mq',
      COGNITO_CLIENT_SECRET: 'ps50nb7hd1umdnmlt1xa9nwiscqvdvzy5ijw63vcacd09yihc2b',
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
      LIMIT_IP_PER_HOUR: '40',
    });
    running.push(gateway);
    await gateway.waitForLog('gateway listening', 15_000);
    expect(warnings(gateway).map((w) => w.msg)).toEqual([
      'LIMIT_IP_PER_HOUR is deprecated: set LIMIT_RESEND_IP_PER_HOUR instead',
    ]);
  });
});
