// Starts what an integration test needs over real HTTP: the local Cognito stand-in with a pool and a client,
// and the gateway on an ephemeral loopback port talking to it with the real SDK. Logs are captured.
// startGatewayHarness() puts the same gateway in front of another Cognito emulator (e.g. moto) instead.
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/app';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { type CognitoSettings, loadConfig } from '../../src/config';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { createLogger } from '../../src/logger';
import { Secret } from '../../src/secret';

/** The gateway on an ephemeral loopback port, in front of some Cognito (the stand-in or another emulator). */
export interface GatewayHarness {
  url: string;
  gateway: Gateway;
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

export interface GatewayHarnessOptions {
  env?: Record<string, string>;
  /** Overrides what the gateway is configured with (e.g. a wrong secret, an unreachable endpoint). */
  cognito?: Partial<CognitoSettings>;
  cognitoClient?: CognitoIdentityProviderClient;
  /** Passed to createGateway: GET/HEAD routes served outside production (e.g. demoRoutes()). */
  developmentRoutes?: GatewayOptions['developmentRoutes'];
}

export interface HarnessOptions extends GatewayHarnessOptions {
  pool?: Parameters<LocalCognito['createUserPool']>[0];
  standIn?: LocalCognito;
}

export const RESEND = `mutation Resend($input: ResendConfirmationCodeInput!) {
  resendConfirmationCode(input: $input) { codeDeliveryDetails { destination deliveryMedium attributeName } }
}`;

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const standIn = options.standIn ?? (await startLocalCognito());
  const pool = standIn.createUserPool(options.pool);
  const client = standIn.createUserPoolClient(pool.id, { generateSecret: true });
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
          Password: 'correct-horse-battery',
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

/** Starts the gateway in front of `upstream`, which the caller owns (and stops after close()). */
export async function startGatewayHarness(
  upstream: UpstreamCognito,
  options: GatewayHarnessOptions = {},
): Promise<GatewayHarness> {
  // The COGNITO_* values only satisfy validation (production requires them); `cognito` below is what is used.
  // Another emulator's secret may not pass the validation of a real one (moto's is a UUID): a placeholder then.
  const configSecret = /^[\w+]{1,64}$/.test(upstream.clientSecret) ? upstream.clientSecret : 'harness0secret';
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    COGNITO_REGION: 'us-east-1',
    COGNITO_CLIENT_ID: upstream.clientId,
    COGNITO_CLIENT_SECRET: configSecret,
    // Abuse limits are off unless a test is about them, so that tests of other behaviour cannot trip them.
    LIMIT_USERNAME_COOLDOWN_SECONDS: '0',
    LIMIT_USERNAME_PER_HOUR: '0',
    LIMIT_IP_PER_HOUR: '0',
    LIMIT_SIGN_UP_IP_PER_HOUR: '0',
    LIMIT_CONFIRM_FAILURES_USERNAME_IP_PER_HOUR: '0',
    LIMIT_CONFIRM_FAILURES_USERNAME_PER_HOUR: '0',
    LIMIT_DESTINATION_PER_HOUR: '0',
    LIMIT_CONFIRM_IP_PER_HOUR: '0',
    ...options.env,
  });
  const cognito: CognitoSettings = {
    region: 'us-east-1',
    userPoolId: upstream.poolId,
    clientId: upstream.clientId,
    clientSecret: new Secret(upstream.clientSecret),
    endpoint: upstream.url,
    ...options.cognito,
  };
  const logs: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => void logs.push(line) });
  const gateway = await createGateway({
    config,
    cognito,
    logger,
    ...(options.cognitoClient && { cognitoClient: options.cognitoClient }),
    ...(options.developmentRoutes && { developmentRoutes: options.developmentRoutes }),
  });
  const url = await gateway.listen(0, '127.0.0.1');

  return {
    url,
    gateway,
    poolId: upstream.poolId,
    clientId: upstream.clientId,
    clientSecret: upstream.clientSecret,
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

export function resend(input: Record<string, unknown>) {
  return { query: RESEND, variables: { input } };
}
