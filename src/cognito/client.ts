// Builds the one CognitoIdentityProviderClient a process shares: keep-alive sockets (at most MAX_SOCKETS),
// connect and request timeouts, and a bounded number of attempts that never repeat a possibly-sent request.
// The public user-pool calls are sent unsigned, so no AWS credentials are needed.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { CognitoSettings, Config } from '../config';
import { NoDuplicateSendRetryStrategy } from './retry-strategy';

export const MAX_SOCKETS = 64;

export function createCognitoClient(
  cognito: Pick<CognitoSettings, 'region' | 'endpoint'>,
  upstream: Config['upstream'],
): CognitoIdentityProviderClient {
  const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS };
  return new CognitoIdentityProviderClient({
    region: cognito.region,
    ...(cognito.endpoint && { endpoint: cognito.endpoint }),
    retryStrategy: new NoDuplicateSendRetryStrategy(upstream.maxAttempts),
    requestHandler: new NodeHttpHandler({
      connectionTimeout: upstream.connectTimeoutMs,
      requestTimeout: upstream.requestTimeoutMs,
      // Without this, smithy only logs a warning when a request outlives requestTimeout and keeps waiting.
      throwOnRequestTimeout: true,
      httpAgent: new HttpAgent(agentOptions),
      httpsAgent: new HttpsAgent(agentOptions),
    }),
  });
}
