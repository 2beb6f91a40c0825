// The gateway's door to Cognito: runs one call of a Cognito action (an API action such as SignUp, the one the
// request's X-Amz-Target names) on the shared client behind that action's circuit breaker, and turns any
// failure into a GraphQL error with a stable code, logging the upstream detail (never the request, which
// holds the SecretHash) against the request id. A breaker answers UPSTREAM_UNAVAILABLE at once while its
// action is failing, and a cap bounds the calls in flight so an outage cannot pile up sockets or memory. Both
// are kept per action where a caller could otherwise turn one action's trouble into everyone's: what makes
// SignUp slow or failing (a pre-sign-up trigger, a burst of sign-ups) is the caller's to choose, so SignUp has
// a breaker of its own, and no action may hold more in-flight slots than it leaves free for the others.
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
  /**
   * Calls allowed in flight at once, all actions together; more are refused at once. One action may
   * take a slot only while at least as many stay free as it then holds (see `refusalOf`).
   */
  maxInFlight: number;
  /** Share of failing calls (outages only, not user errors) that opens an action's breaker. */
  errorThresholdPercentage?: number;
  /** Calls of the action in the rolling window before its breaker may open. */
  volumeThreshold?: number;
  /** How long a breaker stays open before one trial call of its action is let through. */
  resetTimeoutMs?: number;
}

/** Why a call was refused without being sent: its action's breaker is open, or no slot was left for it. */
export type Refusal = 'breaker' | 'in-flight-cap' | 'action-share';

/** What the caller tells the metrics. */
export interface CallerObservers {
  /** How long each call that went to Cognito took, and how it ended (`OK` or the gateway's error code). */
  duration?(action: string, outcome: string, seconds: number): void;
  /** A call refused without being sent. */
  refused?(action: string, by: Refusal): void;
  /** An action's breaker opened (`true`: open or half-open) or closed. */
  circuit?(action: string, open: boolean): void;
}

/** UPSTREAM_UNAVAILABLE for a call that certainly never reached Cognito, so it cost nobody a code. */
export class UpstreamNotReachedError extends GatewayError {}

function notReached(): UpstreamNotReachedError {
  return new UpstreamNotReachedError(UNAVAILABLE.message, { extensions: { code: UNAVAILABLE.code } });
}

/** opossum's code for a call it refused, open, without running it. */
const REFUSED_BY_BREAKER = 'EOPENBREAKER';

/**
 * Whether one more call of an action that holds `own` of the `total` slots in flight may start: never past
 * `max`, and then only while at least as many slots stay free as the action would hold, so that one
 * action alone takes at most half the cap, two at most a third each, and an action holding none always
 * gets in while any slot is free.
 */
export function refusalOf(own: number, total: number, max: number): Refusal | undefined {
  if (total >= max) return 'in-flight-cap';
  if (own > 0 && own + 1 > max - total - 1) return 'action-share';
  return undefined;
}

export class CognitoCaller {
  private readonly breakers = new Map<string, CircuitBreaker<[Send], unknown>>();
  private readonly inFlightOf = new Map<string, number>();
  private inFlight = 0;

  constructor(
    private readonly client: CognitoSender,
    private readonly settings: BreakerSettings,
    private readonly logger: Logger,
    private readonly observers: CallerObservers = {},
  ) {}

  /** The action's breaker, made on its first call (action names come from the registry, not callers). */
  private breakerOf(action: string): CircuitBreaker<[Send], unknown> {
    let breaker = this.breakers.get(action);
    if (breaker) return breaker;
    const { settings, logger, observers } = this;
    // The in-flight cap is ours, not opossum's `capacity`: opossum counts a call its semaphore refused as a
    // fire that succeeded, so a flood past the cap dilutes the failure rate of the calls that did run and
    // the breaker never opens. Refused here, a call never reaches the breaker's statistics.
    breaker = new CircuitBreaker((send: Send) => send(this.client), {
      name: action,
      timeout: false, // the SDK's own connect and request timeouts apply
      errorThresholdPercentage: settings.errorThresholdPercentage ?? 50,
      volumeThreshold: settings.volumeThreshold ?? 20,
      resetTimeout: settings.resetTimeoutMs ?? 5_000,
      rollingCountTimeout: 10_000,
      rollingCountBuckets: 10,
      // Only outages count against Cognito; a wrong username or throttling says nothing about its health.
      errorFilter: (error: unknown) => mapCognitoError(error).code !== ErrorCode.UPSTREAM_UNAVAILABLE,
    });
    breaker.on('open', () => {
      observers.circuit?.(action, true);
      logger.error({ action }, 'cognito circuit open: failing fast with UPSTREAM_UNAVAILABLE');
    });
    breaker.on('halfOpen', () => logger.warn({ action }, 'cognito circuit half-open: trying one call'));
    breaker.on('close', () => {
      observers.circuit?.(action, false);
      logger.info({ action }, 'cognito circuit closed: calls flow again');
    });
    observers.circuit?.(action, false);
    this.breakers.set(action, breaker);
    return breaker;
  }

  async call<Output>(
    action: string,
    send: (client: CognitoSender) => Promise<Output>,
    /** The request's logger, read only when there is something to log (making it costs). */
    request: { readonly log: Logger },
    /** The call's own reading of its exceptions, where it differs from the shared table. */
    mapError?: (error: unknown) => MappedError | undefined,
  ): Promise<Output> {
    const breaker = this.breakerOf(action);
    const own = this.inFlightOf.get(action) ?? 0;
    const refusal = refusalOf(own, this.inFlight, this.settings.maxInFlight);
    if (refusal) throw this.refuse(action, refusal, request);
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    this.inFlight += 1;
    this.inFlightOf.set(action, own + 1);
    try {
      const output = (await breaker.fire(send)) as Output;
      this.observers.duration?.(action, 'OK', elapsed());
      return output;
    } catch (error) {
      if (errnoOf(error) === REFUSED_BY_BREAKER) throw this.refuse(action, 'breaker', request);
      const mapped = mapCognitoError(error, mapError);
      this.observers.duration?.(action, mapped.code, elapsed());
      // A failure that is not Cognito's answer nor the network is a bug: keep its stack.
      const bug = mapped.code === ErrorCode.INTERNAL_SERVER_ERROR && !isServiceException(error);
      request.log[mapped.severity](
        {
          action,
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
      const left = (this.inFlightOf.get(action) ?? 1) - 1;
      if (left === 0) this.inFlightOf.delete(action);
      else this.inFlightOf.set(action, left);
    }
  }

  /** A call that was never sent: no Cognito latency to observe; counted by why, and logged at debug. */
  private refuse(action: string, by: Refusal, request: { readonly log: Logger }): UpstreamNotReachedError {
    this.observers.refused?.(action, by);
    request.log.debug(
      { action, code: ErrorCode.UPSTREAM_UNAVAILABLE, refusedBy: by },
      'cognito call refused',
    );
    return notReached();
  }

  shutdown(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
  }
}
