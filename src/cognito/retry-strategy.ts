// Retries that can never make Cognito send a code twice. The SDK's standard strategy (bounded attempts,
// exponential back-off with full jitter, a retry budget) decides, but only for failures where Cognito did
// not act: throttling (429 or TooManyRequestsException), Cognito's own failure answers (500
// InternalErrorException, 503), and connections that were never established. A request that timed out or
// lost its connection after it was sent, or a 502/504 from something in between, may already have made
// Cognito send an email or SMS, so it is not repeated.
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types';
import { errnoOf, httpStatusOf, NEVER_CONNECTED } from './sdk-errors';

const RETRIED_STATUS = new Set([429, 503]);

export function isSafeToRetry(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = httpStatusOf(error);
  if (status === undefined) return neverReachedCognito(error);
  // A 500 is Cognito's own failure only as its modeled InternalErrorException; an HTML 500 page came from
  // something in between, which may already have passed the request on.
  if (status === 500) return error.name === 'InternalErrorException';
  return RETRIED_STATUS.has(status) || error.name === 'TooManyRequestsException';
}

/** True when the request certainly never left this process: no connection was ever established. */
export function neverReachedCognito(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = errnoOf(error);
  if (code !== undefined && NEVER_CONNECTED.has(code)) return true;
  // smithy's connect timeout: the socket never connected, so nothing was sent.
  return error.name === 'TimeoutError' && /did not establish a connection/.test(error.message);
}

export class NoDuplicateSendRetryStrategy implements RetryStrategyV2 {
  private readonly standard: StandardRetryStrategy;

  constructor(maxAttempts: number) {
    this.standard = new StandardRetryStrategy(maxAttempts);
  }

  acquireInitialRetryToken(scope: string): Promise<StandardRetryToken> {
    return this.standard.acquireInitialRetryToken(scope);
  }

  async refreshRetryTokenForRetry(
    token: StandardRetryToken,
    info: RetryErrorInfo,
  ): Promise<StandardRetryToken> {
    if (!isSafeToRetry(info.error))
      throw new Error('not retried: Cognito may already have acted on the request');
    return this.standard.refreshRetryTokenForRetry(token, info);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.standard.recordSuccess(token);
  }
}
