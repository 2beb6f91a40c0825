// What operators get from the same server: readiness, Prometheus metrics, request ids they can follow
// through the logs, and Sandbox CORS only where it belongs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { demoPage } from '../../src/dev/demo-page';
import { Metrics } from '../../src/metrics';
import { opsRoutes } from '../../src/node-server/ops-routes';
import { type Harness, startHarness } from '../support/gateway-harness';
import { freePort } from '../support/test-resources';
import { confirmSignUp, resend, signUp } from '../support/user-pool-requests';

const SANDBOX = 'https://studio.apollographql.com';

function at(h: Harness, path: string) {
  return h.url.replace('/graphql', path);
}

/** The value of one sample line of the Prometheus text format, e.g. `name{a="b"} 3`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics and /readyz', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { LIMIT_CONFIRM_FAILURES_USERNAME_PER_HOUR: '1', LIMIT_MEMORY_MAX_MB: '16' },
    });
  });
  afterAll(() => h.close());

  it('reports ready with its checks when Redis is not configured', async () => {
    const res = await fetch(at(h, '/readyz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ready',
      checks: { config: 'ok', redis: 'not configured', shutdown: 'no' },
    });
  });

  it('counts requests by operation and code, Cognito latency by action and outcome, and limiter refusals', async () => {
    await h.graphql(signUp({ username: 'metered', password: 'Metered-Passw0rd', userAttributes: [] }));
    await h.graphql(confirmSignUp({ username: 'metered', confirmationCode: '000000' })); // CODE_MISMATCH
    await h.graphql(confirmSignUp({ username: 'metered', confirmationCode: '000001' })); // RATE_LIMITED
    await h.graphql({ query: '{ nope }' });
    // Root fields reached through fragments count under their names too.
    await h.graphql({
      query:
        'mutation { ...R ... on Mutation { a: resendConfirmationCode(input: { username: "metered" }) { codeDeliveryDetails { destination } } } } fragment R on Mutation { resendConfirmationCode(input: { username: "metered" }) { codeDeliveryDetails { destination } } }',
    });

    const res = await fetch(at(h, '/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'gateway_graphql_requests_total{operation="signUp",code="OK"}')).toBe(1);
    expect(
      sample(text, 'gateway_graphql_requests_total{operation="confirmSignUp",code="CODE_MISMATCH"}'),
    ).toBe(1);
    expect(
      sample(text, 'gateway_graphql_requests_total{operation="confirmSignUp",code="RATE_LIMITED"}'),
    ).toBe(1);
    expect(
      sample(text, 'gateway_graphql_requests_total{operation="-",code="GRAPHQL_VALIDATION_FAILED"}'),
    ).toBe(1);
    expect(sample(text, 'gateway_cognito_request_duration_seconds_count{action="SignUp",outcome="OK"}')).toBe(
      1,
    );
    expect(
      sample(
        text,
        'gateway_cognito_request_duration_seconds_count{action="ConfirmSignUp",outcome="CODE_MISMATCH"}',
      ),
    ).toBe(1);
    expect(sample(text, 'gateway_rate_limited_total{rule="confirm:username-failures-hour"}')).toBe(1);
    // The scrape itself is the one request in flight.
    expect(sample(text, 'gateway_http_requests_in_flight')).toBe(1);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('reports what the in-memory limit store holds against LIMIT_MEMORY_MAX_MB', async () => {
    await h.graphql(signUp({ username: 'weighed', password: 'Weighed-Passw0rd', userAttributes: [] }));
    const text = await (await fetch(at(h, '/metrics'))).text();
    expect(sample(text, 'gateway_limit_memory_bytes{part="max"}')).toBe(16 * 1024 * 1024);
    expect(sample(text, 'gateway_limit_memory_bytes{part="counters"}')).toBeGreaterThan(0);
    expect(sample(text, 'gateway_limit_memory_bytes{part="links"}')).toBeGreaterThanOrEqual(0);
  });
});

describe('the in-flight gauge', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('comes back down when clients drop connections with pipelined requests still queued', async () => {
    const { port } = new URL(h.url);
    const pipelined = 'GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n'.repeat(4);
    await Promise.all(
      Array.from(
        { length: 10 },
        () =>
          new Promise<void>((resolve) => {
            const socket = connect(Number(port), '127.0.0.1', () => {
              socket.write(pipelined);
              setTimeout(() => socket.destroy(), 2);
            });
            socket.on('close', () => resolve());
            socket.on('error', () => {});
          }),
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const text = await (await fetch(at(h, '/metrics'))).text();
    expect(sample(text, 'gateway_http_requests_in_flight')).toBe(1);
  });
});

describe('the in-flight gauge on a busy keep-alive connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('keeps one close listener per socket however many requests are pipelined on it', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      const { port } = new URL(h.url);
      const answered = await new Promise<number>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () =>
          socket.write('GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n'.repeat(40)),
        );
        let count = 0;
        socket.on('data', (chunk) => {
          count += chunk.toString().split('HTTP/1.1 200').length - 1;
          if (count >= 40) socket.end();
        });
        socket.on('close', () => resolve(count));
      });
      expect(answered).toBe(40);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
      const text = await (await fetch(at(h, '/metrics'))).text();
      expect(sample(text, 'gateway_http_requests_in_flight')).toBe(1);
    } finally {
      process.off('warning', onWarning);
    }
  });
});

describe('/readyz with Redis configured', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('answers 503 when Redis cannot be reached', async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await freePort();

    h = await startHarness({ env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    const res = await fetch(at(h, '/readyz'));
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'not ready', checks: { redis: 'unreachable' } });
  }, 15_000);
});

describe('/readyz during a gateway shutdown', () => {
  it('answers 503 for SHUTDOWN_DRAIN_DELAY_MS while GraphQL is still served, then the listener closes', async () => {
    const h = await startHarness({ env: { SHUTDOWN_DRAIN_DELAY_MS: '400' } });
    try {
      expect((await fetch(at(h, '/readyz'))).status).toBe(200);
      const stopped = h.gateway.stop();
      const ready = await fetch(at(h, '/readyz'));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'not ready', checks: { shutdown: 'in progress' } });
      const served = await h.graphql({ query: '{ serviceInfo { name } }' });
      expect(served.body.data.serviceInfo.name).toBeTruthy();
      await stopped;
      await expect(fetch(at(h, '/readyz'))).rejects.toThrow();
    } finally {
      await h.close();
    }
  });
});

describe('a private ops port (OPS_PORT)', () => {
  const OPS_PATHS = ['/metrics', '/readyz', '/healthz'];
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  function opsAt(path: string): string {
    const base = h?.gateway.opsUrl;
    if (base === undefined) throw new Error('no ops port');
    return new URL(path, base).href;
  }

  function opsAddress(): string | undefined {
    return (h?.gateway.opsServer?.address() as AddressInfo | null | undefined)?.address;
  }

  /** What a client can tell about a response: status, type and body. */
  async function seen(res: Response) {
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  }

  it('answers 404 on the public port for /metrics, /readyz and /healthz exactly as for an unknown path', async () => {
    h = await startHarness({ env: { OPS_PORT: '0' } });
    const unknown = await seen(await fetch(at(h, '/no-such-path')));
    expect(unknown.status).toBe(404);
    for (const path of OPS_PATHS) {
      expect(await seen(await fetch(at(h, path)))).toEqual(unknown);
      expect((await fetch(at(h, path), { method: 'HEAD' })).status).toBe(404);
    }
  });

  it('serves them on the ops port: Prometheus text, ready and alive', async () => {
    h = await startHarness({ env: { OPS_PORT: '0' } });
    await h.graphql({ query: '{ serviceInfo { name } }' });
    const metrics = await fetch(opsAt('/metrics'));
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    expect(sample(text, 'gateway_graphql_requests_total{operation="serviceInfo",code="OK"}')).toBe(1);
    expect(text).toContain('process_cpu_user_seconds_total');

    const ready = await fetch(opsAt('/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { config: 'ok', redis: 'not configured', shutdown: 'no' },
    });
    const alive = await fetch(opsAt('/healthz'));
    expect(alive.status).toBe(200);
    expect(await alive.json()).toEqual({ status: 'ok' });
    expect((await fetch(opsAt('/healthz'), { method: 'HEAD' })).status).toBe(200);
  });

  it('answers 404 to anything else on the ops port, GraphQL included', async () => {
    h = await startHarness({ env: { OPS_PORT: '0' } });
    const graphql = await fetch(opsAt('/graphql'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ serviceInfo { name } }' }),
    });
    expect(graphql.status).toBe(404);
    expect((await fetch(opsAt('/graphql'))).status).toBe(404);
    expect((await fetch(opsAt('/'))).status).toBe(404);
    expect((await fetch(opsAt('/demo'))).status).toBe(404);
    expect((await fetch(opsAt('/metrics'), { method: 'POST', body: 'x' })).status).toBe(404);
  });

  it('binds the ops port to loopback unless OPS_HOST says otherwise', async () => {
    h = await startHarness({ env: { OPS_PORT: '0' } });
    expect(opsAddress()).toBe('127.0.0.1');
    expect(new URL(h.gateway.opsUrl ?? '').hostname).toBe('127.0.0.1');
    await h.close();
    h = await startHarness({ env: { OPS_PORT: '0', OPS_HOST: '0.0.0.0' } });
    expect(opsAddress()).toBe('0.0.0.0');
  });

  it('answers 503 on /readyz there for SHUTDOWN_DRAIN_DELAY_MS, then closes with the public listener', async () => {
    h = await startHarness({ env: { OPS_PORT: '0', SHUTDOWN_DRAIN_DELAY_MS: '400' } });
    expect((await fetch(opsAt('/readyz'))).status).toBe(200);
    const stopped = h.gateway.stop();
    const ready = await fetch(opsAt('/readyz'));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not ready', checks: { shutdown: 'in progress' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Still in the drain delay: probes keep getting their answer.
    expect((await fetch(opsAt('/readyz'))).status).toBe(503);
    await stopped;
    await expect(fetch(opsAt('/readyz'))).rejects.toThrow();
    await expect(fetch(at(h, '/graphql'))).rejects.toThrow();
    expect(h.gateway.opsServer?.listening).toBe(false);
  });

  it('is not opened without OPS_PORT: the endpoints stay on the public port', async () => {
    h = await startHarness();
    expect(h.gateway.opsUrl).toBeUndefined();
    expect(h.gateway.opsServer).toBeUndefined();
    for (const path of OPS_PATHS) expect((await fetch(at(h, path))).status).toBe(200);
  });
});

describe('/readyz during shutdown', () => {
  it('answers 503 once the gateway is stopping, so load balancers stop sending traffic', async () => {
    let stopping = false;
    const route = opsRoutes(new Metrics(), {
      redisConfigured: false,
      redisReachable: () => true,
      stopping: () => stopping,
    }).get('/readyz');
    const server = createServer((req: IncomingMessage, res: ServerResponse) => route?.(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
    try {
      expect((await fetch(url)).status).toBe(200);
      stopping = true;
      const res = await fetch(url);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ checks: { shutdown: 'in progress' } });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('x-request-id', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('is generated for every response when the peer is not a trusted proxy, ignoring one it sends', async () => {
    h = await startHarness();
    const res = await h.graphql(resend({ username: 'nobody' }), { 'x-request-id': 'client-chosen-id' });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await fetch(at(h, '/healthz'))).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("keeps a trusted proxy's id, answers with it and logs every line of the request under it", async () => {
    h = await startHarness({ env: { TRUST_PROXY: 'loopback' } });
    const res = await h.graphql(resend({ username: 'nobody' }), { 'x-request-id': 'lb-1234.abc' });
    expect(res.body.errors[0].extensions.code).toBe('USER_NOT_FOUND');
    expect(res.headers.get('x-request-id')).toBe('lb-1234.abc');
    const lines = h.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'cognito call failed');
    expect(lines.map((l) => l.requestId)).toEqual(['lb-1234.abc']);
  });

  it("replaces even a trusted proxy's id when it is not short and plain (it goes into log lines)", async () => {
    h = await startHarness({ env: { TRUST_PROXY: 'loopback' } });
    for (const bad of ['has spaces in it', 'x'.repeat(200), '<script>', '']) {
      const res = await h.graphql({ query: '{ serviceInfo { name } }' }, { 'x-request-id': bad });
      expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('the demo page', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('is served outside production and not in production', async () => {
    h = await startHarness({ env: { NODE_ENV: 'development' }, development: demoPage() });
    expect((await fetch(at(h, '/demo'))).status).toBe(200);
    await h.close();
    h = await startHarness({ env: { NODE_ENV: 'production' }, development: demoPage() });
    expect((await fetch(at(h, '/demo'))).status).toBe(404);
  });
});

describe('Apollo Sandbox CORS', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function sandboxAllowed(env: Record<string, string>): Promise<string | null> {
    h = await startHarness({ env });
    const res = await fetch(h.url, {
      method: 'OPTIONS',
      headers: {
        origin: SANDBOX,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    return res.headers.get('access-control-allow-origin');
  }

  it('gets the CORS headers outside production', async () => {
    expect(await sandboxAllowed({ NODE_ENV: 'development' })).toBe(SANDBOX);
  });

  it('does not get them in production', async () => {
    expect(await sandboxAllowed({ NODE_ENV: 'production' })).toBeNull();
  });

  it('gets them in production when CORS_ORIGINS names it', async () => {
    expect(await sandboxAllowed({ NODE_ENV: 'production', CORS_ORIGINS: SANDBOX })).toBe(SANDBOX);
  });
});
