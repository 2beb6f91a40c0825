import {
  InternalErrorException,
  TooManyRequestsException,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import type { RetryErrorInfo } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import { isSafeToRetry, NoDuplicateSendRetryStrategy } from '../../../src/cognito/retry-strategy';

// smithy types `error` as SdkError, whose `cause` is narrower than ES2022's Error; the values are real errors.
const info = (error: Error, errorType: RetryErrorInfo['errorType']): RetryErrorInfo => ({
  error: error as RetryErrorInfo['error'],
  errorType,
});
const meta = (status: number) => ({ $metadata: { httpStatusCode: status } });

describe('isSafeToRetry', () => {
  it('retries throttling and server errors, where Cognito did not act', () => {
    expect(isSafeToRetry(new TooManyRequestsException({ message: 'Rate exceeded', ...meta(400) }))).toBe(
      true,
    );
    expect(isSafeToRetry(new InternalErrorException({ message: 'x', ...meta(500) }))).toBe(true);
    expect(isSafeToRetry(Object.assign(new Error('<html>'), meta(503)))).toBe(true);
  });

  it('does not retry a 502 or 504 from something in between, which may have lost a sent answer', () => {
    expect(isSafeToRetry(Object.assign(new Error('<html>'), meta(502)))).toBe(false);
    // A 500 that is not Cognito's own InternalErrorException (e.g. an HTML page) came from something else.
    expect(isSafeToRetry(Object.assign(new SyntaxError('<html>'), meta(500)))).toBe(false);
    expect(isSafeToRetry(Object.assign(new Error('<html>'), meta(504)))).toBe(false);
  });

  it('retries connections that were never established', () => {
    expect(isSafeToRetry(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      true,
    );
    const connectTimeout = Object.assign(
      new Error('the request socket did not establish a connection with the server within 1000 ms.'),
      { name: 'TimeoutError' },
    );
    expect(isSafeToRetry(connectTimeout)).toBe(true);
  });

  it('never retries a request that may have reached Cognito', () => {
    const requestTimeout = Object.assign(
      new Error('a request has exceeded the configured 3000 ms requestTimeout.'),
      {
        name: 'TimeoutError',
        code: 'ETIMEDOUT',
      },
    );
    expect(isSafeToRetry(requestTimeout)).toBe(false);
    expect(isSafeToRetry(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(false);
  });

  it('never retries client errors', () => {
    expect(isSafeToRetry(new UserNotFoundException({ message: 'x', ...meta(400) }))).toBe(false);
  });
});

describe('NoDuplicateSendRetryStrategy', () => {
  it('refuses a retry after a request timeout', async () => {
    const strategy = new NoDuplicateSendRetryStrategy(3);
    const token = await strategy.acquireInitialRetryToken('cognito');
    const error = Object.assign(new Error('requestTimeout'), {
      name: 'TimeoutError',
      code: 'ETIMEDOUT',
      $metadata: {},
    });
    await expect(strategy.refreshRetryTokenForRetry(token, info(error, 'TRANSIENT'))).rejects.toThrow(
      /not retried/,
    );
  });

  it('grants a retry after throttling, with a back-off delay', async () => {
    const strategy = new NoDuplicateSendRetryStrategy(3);
    const token = await strategy.acquireInitialRetryToken('cognito');
    const error = new TooManyRequestsException({
      message: 'Rate exceeded',
      $metadata: { httpStatusCode: 400 },
    });
    const next = await strategy.refreshRetryTokenForRetry(token, info(error, 'THROTTLING'));
    expect(next.getRetryCount()).toBe(1);
  });
});
