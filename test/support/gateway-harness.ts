// Starts what an integration test needs over real HTTP: the local Cognito stand-in with a pool and a client,
// and the gateway on an ephemeral loopback port talking to it with the real SDK. Logs are captured.
import { CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { createGateway, type Gateway } from '../../src/app';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { type CognitoSettings, loadConfig } from '../../src/config';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { createLogger } from '../../src/logger';
import { Secret } from '../../src/secret';

export interface Harness {
  url: string;
  standIn: LocalCognito;
  gateway: Gateway;
  poolId: string;
  clientId: string;
  clientSecret: string;
  logs: string[];
  graphql(body: unknown, headers?: Record<string, string>): Promise<GraphQLResponse>;
  signUp(username: string, attributes?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

export interface GraphQLResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
  body: any;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  pool?: Parameters<LocalCognito['createUserPool']>[0];
  /** Overrides what the gateway is configured with (e.g. a wrong secret, an unreachable endpoint). */
  cognito?: Partial<CognitoSettings>;
  standIn?: LocalCognito;
  cognitoClient?: CognitoIdentityProviderClient;
}

export const RESEND = `mutation Resend($input: ResendConfirmationCodeInput!) {
  resendConfirmationCode(input: $input) { codeDeliveryDetails { destination deliveryMedium attributeName } }
}`;

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const standIn = options.standIn ?? (await startLocalCognito());
  const pool = standIn.createUserPool(options.pool);
  const client = standIn.createUserPoolClient(pool.id, { generateSecret: true });
  const clientSecret = client.clientSecret ?? '';
  // The COGNITO_* values only satisfy validation (production requires them); `cognito` below is what is used.
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    COGNITO_REGION: 'us-east-1',
    COGNITO_CLIENT_ID: client.clientId,
    COGNITO_CLIENT_SECRET: clientSecret,
    // Abuse limits are off unless a test is about them, so that tests of other behaviour cannot trip them.
    LIMIT_USERNAME_COOLDOWN_SECONDS: '0',
    LIMIT_USERNAME_PER_HOUR: '0',
    LIMIT_IP_PER_HOUR: '0',
    ...options.env,
  });
  const cognito: CognitoSettings = {
    region: 'us-east-1',
    userPoolId: pool.id,
    clientId: client.clientId,
    clientSecret: new Secret(clientSecret),
    endpoint: standIn.url,
    ...options.cognito,
  };
  const logs: string[] = [];
  const logger = createLogger(config.logLevel, { write: (line: string) => void logs.push(line) });
  const gateway = await createGateway({
    config,
    cognito,
    logger,
    ...(options.cognitoClient && { cognitoClient: options.cognitoClient }),
  });
  const url = await gateway.listen(0, '127.0.0.1');
  const sdk = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: standIn.url });

  return {
    url,
    standIn,
    gateway,
    poolId: pool.id,
    clientId: client.clientId,
    clientSecret,
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
      await gateway.stop();
      if (!options.standIn) await standIn.close();
    },
  };
}

export function resend(input: Record<string, unknown>) {
  return { query: RESEND, variables: { input } };
}
