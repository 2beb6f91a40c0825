// The gateway's door to Cognito: runs one call on the shared client behind a circuit breaker, and turns any
// failure into a GraphQL error with a stable code, logging the upstream detail (never the request, which
// holds the SecretHash) against the request id. The breaker answers UPSTREAM_UNAVAILABLE at once while
// Cognito is failing, and bounds the calls in flight so an outage cannot pile up sockets or memory.
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import CircuitBreaker from 'opossum';
import { ErrorCode, GatewayError, gatewayError } from '../errors';
import type { Logger } from '../logger';
import { describeUpstreamError, type MappedError, mapCognitoError, UNAVAILABLE } from './error-mapping';
import { neverReachedCognito } from './retry-strategy';
import { errnoOf, isServiceException } from './sdk-errors';

export type CognitoSender = Pick<CognitoIdentityProviderClient, 'send'>;
type Send = (client: CognitoSender) => Promise<unknown>;

export interface BreakerSettings {
  /** Calls allowed in flight at once; more are refused at once. */
  maxInFlight: number;
  /** Share of failing calls (outages only, not user errors) that opens the breaker. */
  errorThresholdPercentage?: number;
  /** Calls in the rolling window before the breaker may open. */
  volumeThreshold?: number;
  /** How long the breaker stays open before one trial call is let through. */
  resetTimeoutMs?: number;
}

/** UPSTREAM_UNAVAILABLE for a call that certainly never reached Cognito, so it cost nobody a code. */
export class UpstreamNotReachedError extends GatewayError {}

function notReached(): UpstreamNotReachedError {
  return new UpstreamNotReachedError(UNAVAILABLE.message, { extensions: { code: UNAVAILABLE.code } });
}

/** opossum's code for a call it refused, open, without running it. */
const REFUSED_BY_BREAKER = 'EOPENBREAKER';

/** Told how long each call that went to Cognito took, and how it ended (`OK` or the gateway's error code). */
export type CallObserver = (operation: string, outcome: string, seconds: number) => void;

export class CognitoCaller {
  private readonly breaker: CircuitBreaker<[Send], unknown>;
  private readonly maxInFlight: number;
  private inFlight = 0;

  constructor(
    private readonly client: CognitoSender,
    settings: BreakerSettings,
    logger: Logger,
    private readonly observe: CallObserver = () => {},
  ) {
    this.maxInFlight = settings.maxInFlight;
    // The in-flight cap is ours, not opossum's `capacity`: opossum counts a call its semaphore refused as a
    // fire that succeeded, so a flood past the cap dilutes the failure rate of the calls that did run and
    // the breaker never opens. Refused here, a call never reaches the breaker's statistics.
    this.breaker = new CircuitBreaker((send: Send) => send(this.client), {
      timeout: false, // the SDK's own connect and request timeouts apply
      errorThresholdPercentage: settings.errorThresholdPercentage ?? 50,
      volumeThreshold: settings.volumeThreshold ?? 20,
      resetTimeout: settings.resetTimeoutMs ?? 5_000,
      rollingCountTimeout: 10_000,
      rollingCountBuckets: 10,
      // Only outages count against Cognito; a wrong username or throttling says nothing about its health.
      errorFilter: (error: unknown) => mapCognitoError(error).code !== ErrorCode.UPSTREAM_UNAVAILABLE,
    });
    this.breaker.on('open', () =>
      logger.error('cognito circuit open: failing fast with UPSTREAM_UNAVAILABLE'),
    );
    this.breaker.on('halfOpen', () => logger.warn('cognito circuit half-open: trying one call'));
    this.breaker.on('close', () => logger.info('cognito circuit closed: calls flow again'));
  }

  async call<Output>(
    operation: string,
    send: (client: CognitoSender) => Promise<Output>,
    /** The request's logger, read only when there is something to log (making it costs). */
    request: { readonly log: Logger },
    /** The call's own reading of its exceptions, where it differs from the shared table. */
    mapError?: (error: unknown) => MappedError | undefined,
  ): Promise<Output> {
    if (this.inFlight >= this.maxInFlight) {
      // Never sent, so no Cognito latency to observe; the request counter shows the refusal.
      request.log.debug(
        { operation, code: ErrorCode.UPSTREAM_UNAVAILABLE, refusedBy: 'in-flight cap' },
        'cognito call refused',
      );
      throw notReached();
    }
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    this.inFlight += 1;
    try {
      const output = (await this.breaker.fire(send)) as Output;
      this.observe(operation, 'OK', elapsed());
      return output;
    } catch (error) {
      if (errnoOf(error) === REFUSED_BY_BREAKER) {
        request.log.debug(
          { operation, code: ErrorCode.UPSTREAM_UNAVAILABLE, refusedBy: 'open breaker' },
          'cognito call refused',
        );
        throw notReached();
      }
      const mapped = mapCognitoError(error, mapError);
      this.observe(operation, mapped.code, elapsed());
      // A failure that is not Cognito's answer nor the network is a bug: keep its stack.
      const bug = mapped.code === ErrorCode.INTERNAL_SERVER_ERROR && !isServiceException(error);
      request.log[mapped.severity](
        {
          operation,
          code: mapped.code,
          upstream: describeUpstreamError(error),
          ...(mapped.hint && { hint: mapped.hint }),
          ...(bug && { err: error }),
        },
        'cognito call failed',
      );
      if (neverReachedCognito(error)) throw notReached();
      throw gatewayError(mapped.code, mapped.message);
    } finally {
      this.inFlight -= 1;
    }
  }

  shutdown(): void {
    this.breaker.shutdown();
  }
}
