// The Lambda handler as tests invoke it: the environment of a production function in front of a
// Cognito-compatible endpoint, and an invoke that records every answer and reads its body as JSON.
import type { GatewayEvent, GatewayHandler, GatewayResult } from '../../src/lambda/lambda-handler';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { HARNESS_ENV, type UpstreamCognito } from './gateway-harness';

/** A stand-in with one user pool and one app client with a secret: what the tests' functions are pointed at. */
export async function startLambdaUpstream(): Promise<{ standIn: LocalCognito; upstream: UpstreamCognito }> {
  const standIn = await startLocalCognito();
  const pool = standIn.createUserPool();
  const client = standIn.createUserPoolClient(pool.id, { generateSecret: true });
  return {
    standIn,
    upstream: {
      url: standIn.url,
      poolId: pool.id,
      clientId: client.clientId,
      clientSecret: client.clientSecret ?? '',
    },
  };
}

/** The one browser origin that CORS_ORIGINS allows in lambdaEnv(). */
export const LAMBDA_ORIGIN = 'https://app.example.com';

export function lambdaEnv(upstream: UpstreamCognito): Record<string, string> {
  return {
    ...HARNESS_ENV,
    NODE_ENV: 'production',
    COGNITO_ENDPOINT: upstream.url,
    COGNITO_REGION: 'us-east-1',
    COGNITO_USER_POOL_ID: upstream.poolId,
    COGNITO_CLIENT_ID: upstream.clientId,
    COGNITO_CLIENT_SECRET: upstream.clientSecret,
    SEND_USER_CONTEXT_IP: 'true',
    CORS_ORIGINS: LAMBDA_ORIGIN,
  };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary response shapes
export type LambdaAnswer = GatewayResult & { statusCode: number; json: any };

/** Invokes `handler` with the next request id, hands `record` each answer as JSON text. */
export function lambdaInvoker(
  handler: GatewayHandler,
  nextRequestId: () => string,
  record: (text: string) => void,
): (event: unknown) => Promise<LambdaAnswer> {
  return async (event) => {
    const result = await handler(event as GatewayEvent, { awsRequestId: nextRequestId() });
    record(JSON.stringify(result));
    let json: unknown;
    try {
      json = JSON.parse(result.body ?? '');
    } catch {
      json = undefined;
    }
    return { ...result, statusCode: result.statusCode ?? 200, json };
  };
}
