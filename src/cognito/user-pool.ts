// The gateway's door to Cognito: runs one call on the shared client and turns any failure into a GraphQL
// error with a stable code, logging the upstream detail (never the request, which holds the SecretHash)
// against the request id.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { gatewayError } from '../errors';
import type { Logger } from '../logger';
import { describeUpstreamError, mapCognitoError } from './error-mapping';

export type CognitoSender = Pick<CognitoIdentityProviderClient, 'send'>;

export class UserPool {
  constructor(private readonly client: CognitoSender) {}

  async call<Output>(
    operation: string,
    send: (client: CognitoSender) => Promise<Output>,
    log: Logger,
  ): Promise<Output> {
    try {
      return await send(this.client);
    } catch (error) {
      const mapped = mapCognitoError(error);
      log[mapped.severity](
        { operation, code: mapped.code, upstream: describeUpstreamError(error) },
        'cognito call failed',
      );
      throw gatewayError(mapped.code, mapped.message);
    }
  }
}
