// The per-request GraphQL context: request id, the caller's resolved IP, the analytics endpoint id header
// and a logger bound to the request id. Built once per request, by the node:http server or the Lambda handler
// (each resolves the client IP its own way); the child logger is made only when a request actually logs.
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../logger';
import type { CallerInfo } from '../user-pool-calls/shared/request-fields';
import { ANALYTICS_HEADER, readAnalyticsEndpointId } from './analytics';
import { resolveClientIp, type TrustFn } from './client-ip';

export interface GatewayContext extends CallerInfo {
  requestId: string;
  readonly log: Logger;
}

class RequestContext implements GatewayContext {
  private child: Logger | undefined;
  clientIp?: string;
  analyticsEndpointId?: string;

  constructor(
    readonly requestId: string,
    private readonly logger: Logger,
  ) {}

  get log(): Logger {
    this.child ??= this.logger.child({ requestId: this.requestId });
    return this.child;
  }
}

/** The context of one request from what every transport knows of it; the client IP already resolved. */
export type ContextFactory = (
  requestId: string,
  clientIp: string | undefined,
  analyticsHeader: string | string[] | undefined,
) => GatewayContext;

export function createContextFactory(options: { logger: Logger; analyticsEnabled: boolean }): ContextFactory {
  return (requestId, clientIp, analyticsHeader) => {
    const context = new RequestContext(requestId, options.logger);
    if (clientIp) context.clientIp = clientIp;
    if (options.analyticsEnabled) {
      const endpointId = readAnalyticsEndpointId(analyticsHeader);
      if (endpointId) context.analyticsEndpointId = endpointId;
    }
    return context;
  };
}

/** The node:http server's: the client IP from the socket, and X-Forwarded-For as far as TRUST_PROXY allows. */
export type ContextFunction = (req: IncomingMessage, requestId: string) => GatewayContext;

export function createContextFunction(options: {
  trust: TrustFn;
  logger: Logger;
  analyticsEnabled: boolean;
}): ContextFunction {
  const contextOf = createContextFactory(options);
  return (req, requestId) =>
    contextOf(requestId, resolveClientIp(req, options.trust), req.headers[ANALYTICS_HEADER]);
}
