// The per-request GraphQL context: request id, the caller's resolved IP, the analytics endpoint id header
// and a logger bound to the request id. Built once per HTTP request; the child logger is made only when a
// request actually logs, since most never do.
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

export type ContextFunction = (req: IncomingMessage, requestId: string) => GatewayContext;

export function createContextFunction(options: {
  trust: TrustFn;
  logger: Logger;
  analyticsEnabled: boolean;
}): ContextFunction {
  return (req, requestId) => {
    const context = new RequestContext(requestId, options.logger);
    const clientIp = resolveClientIp(req, options.trust);
    if (clientIp) context.clientIp = clientIp;
    if (options.analyticsEnabled) {
      const endpointId = readAnalyticsEndpointId(req.headers[ANALYTICS_HEADER]);
      if (endpointId) context.analyticsEndpointId = endpointId;
    }
    return context;
  };
}
