// The ops endpoints: /healthz says the process serves HTTP (liveness), /readyz whether this instance should
// get traffic (configuration loaded, Redis reachable when configured, not shutting down), /metrics serves the
// Prometheus text format. One set of handlers, served on the public port or on OPS_PORT's own server.
import type { ServerResponse } from 'node:http';
import type { Metrics } from '../metrics';
import type { Handler } from './http-adapter';

export interface Readiness {
  /** Redis is configured for the abuse limits. */
  redisConfigured: boolean;
  redisReachable(): boolean;
  stopping(): boolean;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** GET/HEAD handlers by path: /healthz, /readyz and /metrics. */
export function opsRoutes(metrics: Metrics, readiness: Readiness): Map<string, Handler> {
  return new Map<string, Handler>([
    ['/healthz', (_req, res) => send(res, 200, JSON_TYPE, JSON.stringify({ status: 'ok' }))],
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
          JSON_TYPE,
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
