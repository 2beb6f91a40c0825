// The per-request GraphQL context: request id, the caller's resolved IP, the analytics endpoint id header
// and a logger bound to the request id. Built once per HTTP request by Apollo's context function.
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { CallerInfo } from '../cognito/public-call';
import type { Logger } from '../logger';
import { ANALYTICS_HEADER, readAnalyticsEndpointId } from './analytics';
import { resolveClientIp, type TrustFn } from './client-ip';

export interface GatewayContext extends CallerInfo {
  requestId: string;
  log: Logger;
}

export const REQUEST_ID_HEADER = 'x-request-id';

export function requestIdOf(res: Response): string {
  const existing = res.locals.requestId as string | undefined;
  if (existing) return existing;
  const id = randomUUID();
  res.locals.requestId = id;
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

export function createContextFunction(options: {
  trust: TrustFn;
  logger: Logger;
  analyticsEnabled: boolean;
}) {
  return async ({ req, res }: { req: Request; res: Response }): Promise<GatewayContext> => {
    const requestId = requestIdOf(res);
    const clientIp = resolveClientIp(req, options.trust);
    const analyticsEndpointId = options.analyticsEnabled
      ? readAnalyticsEndpointId(req.headers[ANALYTICS_HEADER])
      : undefined;
    return {
      requestId,
      log: options.logger.child({ requestId }),
      ...(clientIp && { clientIp }),
      ...(analyticsEndpointId && { analyticsEndpointId }),
    };
  };
}
