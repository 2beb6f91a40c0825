// Builds the one CognitoIdentityProviderClient a process shares: keep-alive sockets (at most MAX_SOCKETS),
// connect and request timeouts, and a bounded number of attempts that never repeat a possibly-sent request.
// The public user-pool calls are sent unsigned, so no AWS credentials are needed: the SDK's credential chain is
// loaded only when a signed call (the look-up's AdminGetUser) first asks for credentials.
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type * as CredentialProviderNode from '@aws-sdk/credential-provider-node';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentityProvider } from '@smithy/types';
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
    credentialDefaultProvider: lazyCredentialChain,
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

/**
 * The SDK's default credential chain (environment, shared files, SSO, web identity, container and instance
 * metadata), loaded by the first call for credentials. The SDK asks only to sign, and it signs only AdminGetUser
 * (COGNITO_LOOKUP_USERS): every other call the gateway makes is public, sent with the smithy.api#noAuth scheme
 * of the Cognito model. Without the look-up the chain is never loaded (the Lambda bundle then never runs it).
 */
export function lazyCredentialChain(
  init: CredentialProviderNode.DefaultProviderInit,
): AwsCredentialIdentityProvider {
  let chain: AwsCredentialIdentityProvider | undefined;
  return (options) => {
    chain ??= (require('@aws-sdk/credential-provider-node') as typeof CredentialProviderNode).defaultProvider(
      init,
    );
    return chain(options);
  };
}
