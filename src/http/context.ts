// The per-request GraphQL context: request id, the caller's resolved IP, the analytics endpoint id header
// and a logger bound to the request id. Built once per GraphQL request by the request core, from what the
// transport adapter resolved (each resolves the client IP its own way); the child logger is made only when a
// request actually logs.
import type { Logger } from '../logger';
import { RequestSession, type SessionServices } from '../session/request-session';
import type { CallerInfo } from '../user-pool-calls/shared/request-fields';
import { readAnalyticsEndpointId } from './analytics';

export interface GatewayContext extends CallerInfo {
  requestId: string;
  readonly log: Logger;
  /** The sign-in session: the sealed refresh token the request came with, the cookies it answers with. */
  readonly session: RequestSession;
}

class RequestContext implements GatewayContext {
  private child: Logger | undefined;
  clientIp?: string;
  analyticsEndpointId?: string;

  constructor(
    readonly requestId: string,
    private readonly logger: Logger,
    readonly session: RequestSession,
  ) {}

  get log(): Logger {
    this.child ??= this.logger.child({ requestId: this.requestId });
    return this.child;
  }
}

/**
 * The context of one request from what every transport knows of it; the client IP already resolved, and the
 * Cookie header only when it may count (the request core drops it for pages of other sites).
 */
export type ContextFactory = (
  requestId: string,
  clientIp: string | undefined,
  analyticsHeader: string | string[] | undefined,
  cookieHeader?: string,
) => GatewayContext;

export function createContextFactory(options: {
  logger: Logger;
  analyticsEnabled: boolean;
  /** Undefined when no call served uses the session cookie. */
  session: SessionServices | undefined;
}): ContextFactory {
  return (requestId, clientIp, analyticsHeader, cookieHeader) => {
    const session = new RequestSession(options.session, cookieHeader);
    const context = new RequestContext(requestId, options.logger, session);
    if (clientIp) context.clientIp = clientIp;
    if (options.analyticsEnabled) {
      const endpointId = readAnalyticsEndpointId(analyticsHeader);
      if (endpointId) context.analyticsEndpointId = endpointId;
    }
    return context;
  };
}
