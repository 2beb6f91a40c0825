// Operations endpoints beside /healthz (liveness, answered by the HTTP layer itself): /readyz says whether
// this instance should get traffic (configuration loaded, Redis reachable when configured, not shutting
// down), /metrics serves the Prometheus text format.
import type { ServerResponse } from 'node:http';
import type { Metrics } from '../metrics';
import type { Handler } from './server';

export interface Readiness {
  /** Redis is configured for the abuse limits. */
  redisConfigured: boolean;
  redisReachable(): boolean;
  stopping(): boolean;
}

export function operationsRoutes(metrics: Metrics, readiness: Readiness): Map<string, Handler> {
  return new Map<string, Handler>([
    [
      '/readyz',
      (_req, res) => {
        const checks = {
          config: 'ok',
          redis: readiness.redisConfigured
            ? readiness.redisReachable()
              ? 'ok'
              : 'unreachable'
            : 'not configured',
          shutdown: readiness.stopping() ? 'in progress' : 'no',
        };
        const ready = checks.redis !== 'unreachable' && !readiness.stopping();
        send(
          res,
          ready ? 200 : 503,
          'application/json; charset=utf-8',
          JSON.stringify({ status: ready ? 'ready' : 'not ready', checks }),
        );
      },
    ],
    [
      '/metrics',
      (_req, res) => {
        metrics.registry.metrics().then(
          (text) => send(res, 200, metrics.registry.contentType, text),
          () => send(res, 500, 'text/plain; charset=utf-8', 'metrics unavailable'),
        );
      },
    ],
  ]);
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
}
