// Starts what an integration test needs over real HTTP: the local Cognito stand-in with a pool and a client,
// and the gateway on an ephemeral loopback port talking to it with the real SDK. Logs are captured.
// startGatewayHarness() puts the same gateway in front of another Cognito-compatible endpoint instead, and
// startGatewayFromEnv() configures it from COGNITO_* variables alone, exactly as a user does (e.g. in front
// of moto or cognito-local, with the credentials they give).
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { type CognitoSettings, type Config, loadConfig } from '../../src/config';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { createLogger } from '../../src/logger';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/node-server/start-server';
import { USER_POOL_CALL_LIMITS } from '../../src/user-pool-calls/registry';
import { TEST_PASSWORD } from './user-pool-requests';

/** The gateway on an ephemeral loopback port, in front of some Cognito (the stand-in or another emulator). */
export interface GatewayHarness {
  url: string;
  gateway: Gateway;
  /** What loadConfig made of the environment. */
  config: Config;
  poolId: string;
  clientId: string;
  clientSecret: string;
  logs: string[];
  graphql(body: unknown, headers?: Record<string, string>): Promise<GraphQLResponse>;
  close(): Promise<void>;
}

export interface Harness extends GatewayHarness {
  standIn: LocalCognito;
  signUp(username: string, attributes?: Record<string, string>): Promise<void>;
}

/** A Cognito-compatible endpoint with a user pool and an app client (with a secret) already made. */
export interface UpstreamCognito {
  url: string;
  poolId: string;
  clientId: string;
  clientSecret: string;
}

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  body: any;
}

export interface GatewayStartOptions {
  cognitoClient?: CognitoIdentityProviderClient;
  /** Passed to createGateway: what the demo page adds outside production (demoPage()). */
  development?: GatewayOptions['development'];
}

export interface GatewayHarnessOptions extends GatewayStartOptions {
  env?: Record<string, string>;
  /** Replaces what the gateway was configured with (e.g. a wrong secret, an unreachable endpoint). */
  cognito?: Partial<CognitoSettings>;
}

export interface HarnessOptions extends GatewayHarnessOptions {
  pool?: Parameters<LocalCognito['createUserPool']>[0];
  standIn?: LocalCognito;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const standIn = options.standIn ?? (await startLocalCognito());
  const pool = standIn.createUserPool(options.pool);
  // The flows a new app client gets in the console today, so that signIn's USER_AUTH works as against Cognito.
  const client = standIn.createUserPoolClient(pool.id, {
    generateSecret: true,
    explicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
  });
  const clientSecret = client.clientSecret ?? '';
  const harness = await startGatewayHarness(
    { url: standIn.url, poolId: pool.id, clientId: client.clientId, clientSecret },
    options,
  );
  const sdk = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: standIn.url });

  return {
    ...harness,
    standIn,
    signUp: async (username, attributes = { email: `${username.replace(/@.*/, '')}@example.com` }) => {
      await sdk.send(
        new SignUpCommand({
          ClientId: client.clientId,
          SecretHash: computeSecretHash(username, client.clientId, clientSecret),
          Username: username,
          Password: TEST_PASSWORD,
          UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
        }),
      );
    },
    close: async () => {
      sdk.destroy();
      await harness.close();
      if (!options.standIn) await standIn.close();
    },
  };
}

/** What every harness adds to a test's environment: debug logs, and abuse limits off. */
/** The session key every harness gives its gateway (base64 of 32 random bytes, fixed so that runs compare). */
export const TEST_SESSION_KEYS = 'pZ1qJ9xW0m3V7yKc2nT5rB8dF4hL6sG0aE1uI9oQ2wY=';

export const HARNESS_ENV: Record<string, string> = {
  NODE_ENV: 'test',
  LOG_LEVEL: 'debug',
  // Abuse limits are off unless a test is about them, so that tests of other behaviour cannot trip them:
  // every call's own (read from the registry, so a new call's are off too), the shared destination cap and
  // the budget of failed challenge checks.
  ...Object.fromEntries(
    USER_POOL_CALL_LIMITS.flatMap(({ limits }) => Object.values(limits)).map(({ variable }) => [
      variable,
      '0',
    ]),
  ),
  LIMIT_DESTINATION_PER_HOUR: '0',
  LIMIT_UNKNOWN_DESTINATION_PER_HOUR: '0',
  CHALLENGE_FAILURES_IP_PER_HOUR: '0',
  // Production serves sign-in only with a session key, as an operator configures one; tests of the keys set
  // their own.
  SESSION_KEYS: TEST_SESSION_KEYS,
};

/** Starts the gateway in front of `upstream`, which the caller owns (and stops after close()). */
export function startGatewayHarness(
  upstream: UpstreamCognito,
  options: GatewayHarnessOptions = {},
): Promise<GatewayHarness> {
  const env = {
    COGNITO_ENDPOINT: upstream.url,
    COGNITO_REGION: 'us-east-1',
    COGNITO_USER_POOL_ID: upstream.poolId,
    COGNITO_CLIENT_ID: upstream.clientId,
    COGNITO_CLIENT_SECRET: upstream.clientSecret,
    ...options.env,
  };
  return launch(loadConfig({ ...HARNESS_ENV, ...env }, USER_POOL_CALL_LIMITS), options);
}

/**
 * Starts the gateway configured by COGNITO_* variables alone, as `npm start` reads them: what loadConfig
 * accepts is what the gateway uses. `env` is added to the harness's defaults (debug logs, limits off).
 */
export function startGatewayFromEnv(
  env: Record<string, string>,
  options: GatewayStartOptions = {},
): Promise<GatewayHarness> {
  return launch(loadConfig({ ...HARNESS_ENV, ...env }, USER_POOL_CALL_LIMITS), options);
}

async function launch(config: Config, options: GatewayHarnessOptions): Promise<GatewayHarness> {
  if (config.cognito.mode !== 'remote') throw new Error('the harness needs COGNITO_* variables');
  const { mode: _mode, nonAwsEndpoint: _nonAws, ...configured } = config.cognito;
  const cognito: CognitoSettings = { ...configured, ...options.cognito };
  const logs: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => void logs.push(line) });
  const gateway = await createGateway({
    config,
    cognito,
    logger,
    ...(options.cognitoClient && { cognitoClient: options.cognitoClient }),
    ...(options.development && { development: options.development }),
  });
  const url = await gateway.listen(0, '127.0.0.1');

  return {
    url,
    gateway,
    config,
    poolId: configured.userPoolId ?? '',
    clientId: configured.clientId,
    clientSecret: configured.clientSecret?.reveal() ?? '',
    logs,
    graphql: async (body, headers = {}) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // Non-JSON bodies are returned as text for the test to inspect.
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
    close: () => gateway.stop(),
  };
}
