// What a client sees when Cognito is down, slow, answers garbage, or the gateway has a bug.
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import {
  CognitoIdentityProviderClient,
  ResendConfirmationCodeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/gateway-harness';
import { resend } from '../support/user-pool-requests';

const UNAVAILABLE = {
  message: 'Cognito is unavailable; try again shortly.',
  locations: [{ line: 2, column: 3 }],
  path: ['resendConfirmationCode'],
  extensions: { code: 'UPSTREAM_UNAVAILABLE' },
};

async function freePort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function listen<T extends Server | TcpServer>(server: T): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

describe('when Cognito cannot be reached', () => {
  let h: Harness | undefined;
  const servers: Array<Server | TcpServer> = [];
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  afterAll(async () => {
    for (const s of servers) {
      if ('closeAllConnections' in s) s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it('answers UPSTREAM_UNAVAILABLE when the connection is refused', async () => {
    h = await startHarness({ cognito: { endpoint: `http://127.0.0.1:${await freePort()}` } });
    const res = await h.graphql(resend({ username: 'jane' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: null, errors: [UNAVAILABLE] });
  });

  it('answers UPSTREAM_UNAVAILABLE within the configured timeout when Cognito never answers', async () => {
    const sockets: import('node:net').Socket[] = [];
    const blackHole = createTcpServer((socket) => void sockets.push(socket));
    servers.push(blackHole);
    const endpoint = await listen(blackHole);
    h = await startHarness({
      env: { COGNITO_REQUEST_TIMEOUT_MS: '300', COGNITO_MAX_ATTEMPTS: '2' },
      cognito: { endpoint },
    });
    const started = performance.now();
    const res = await h.graphql(resend({ username: 'jane' }));
    const elapsed = performance.now() - started;
    const connections = [...sockets];
    for (const s of sockets) s.destroy();
    expect(res.body).toEqual({ data: null, errors: [UNAVAILABLE] });
    // One attempt of 300 ms: a request that timed out may have reached Cognito, so it is not repeated
    // (a second attempt could send the user a second code).
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(1_000);
    expect(connections).toHaveLength(1);
    const line = h.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'cognito call failed');
    expect(line.upstream).toMatchObject({ name: 'TimeoutError' });
  });

  it('answers UPSTREAM_UNAVAILABLE when Cognito answers a non-JSON 500 page', async () => {
    const htmlError = createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<html><body>Internal Server Error</body></html>');
    });
    servers.push(htmlError);
    h = await startHarness({
      env: { COGNITO_MAX_ATTEMPTS: '1' },
      cognito: { endpoint: await listen(htmlError) },
    });
    const res = await h.graphql(resend({ username: 'jane' }));
    expect(res.body).toEqual({ data: null, errors: [UNAVAILABLE] });
  });

  it('caps calls in flight: past COGNITO_MAX_IN_FLIGHT callers get UPSTREAM_UNAVAILABLE at once, no socket piles up', async () => {
    const sockets: import('node:net').Socket[] = [];
    const blackHole = createTcpServer((socket) => void sockets.push(socket));
    servers.push(blackHole);
    const harness = await startHarness({
      env: { COGNITO_REQUEST_TIMEOUT_MS: '2000', COGNITO_MAX_IN_FLIGHT: '10' },
      cognito: { endpoint: await listen(blackHole) },
    });
    h = harness;
    const started = performance.now();
    const answeredAt: number[] = [];
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        harness.graphql(resend({ username: `crowd.${i}` })).then((res) => {
          answeredAt.push(performance.now() - started);
          return res;
        }),
      ),
    );
    for (const s of sockets) s.destroy();
    expect(responses.every((r) => r.body.errors?.[0]?.extensions.code === 'UPSTREAM_UNAVAILABLE')).toBe(true);
    expect(sockets.length).toBeLessThanOrEqual(10);
    // Forty callers were refused without waiting for Cognito's 2 s timeout.
    expect(answeredAt.filter((ms) => ms < 1_500).length).toBeGreaterThanOrEqual(40);
  });

  it('opens the circuit after repeated outages and then fails fast without connecting', async () => {
    let connections = 0;
    const slammer = createTcpServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    servers.push(slammer);
    h = await startHarness({ cognito: { endpoint: await listen(slammer) } });
    for (let i = 0; i < 20; i++) await h.graphql(resend({ username: `outage.${i}` }));
    expect(connections).toBe(20);
    expect(h.logs.some((l) => l.includes('cognito circuit open'))).toBe(true);

    const started = performance.now();
    const res = await h.graphql(resend({ username: 'after.open' }));
    expect(performance.now() - started).toBeLessThan(200);
    expect(res.body.errors[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(connections).toBe(20);
  });

  it("does not use up a user's limit when the call never reached Cognito", async () => {
    h = await startHarness({
      env: {
        LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '60',
        LIMIT_RESEND_USERNAME_PER_HOUR: '5',
        LIMIT_RESEND_IP_PER_HOUR: '30',
      },
      cognito: { endpoint: `http://127.0.0.1:${await freePort()}` },
    });
    for (let i = 0; i < 3; i++) {
      const res = await h.graphql(resend({ username: 'unlucky.user' }));
      expect(res.body.errors[0].extensions.code).toBe('UPSTREAM_UNAVAILABLE');
    }
  });

  it('keeps counting a call that may have reached Cognito before the connection broke', async () => {
    const slammer = createTcpServer((socket) => socket.destroy());
    servers.push(slammer);
    h = await startHarness({
      env: {
        LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '60',
        LIMIT_RESEND_USERNAME_PER_HOUR: '5',
        LIMIT_RESEND_IP_PER_HOUR: '30',
      },
      cognito: { endpoint: await listen(slammer) },
    });
    expect((await h.graphql(resend({ username: 'maybe.sent' }))).body.errors[0].extensions.code).toBe(
      'UPSTREAM_UNAVAILABLE',
    );
    expect((await h.graphql(resend({ username: 'maybe.sent' }))).body.errors[0].extensions.code).toBe(
      'RATE_LIMITED',
    );
  });

  it('masks an unexpected failure as INTERNAL_SERVER_ERROR and logs it in full with the request id', async () => {
    const client = new CognitoIdentityProviderClient({ region: 'us-east-1' });
    mockClient(client)
      .on(ResendConfirmationCodeCommand)
      .rejects(new TypeError('internal detail: cannot read x'));
    h = await startHarness({ cognitoClient: client });
    const res = await h.graphql(resend({ username: 'jane' }));
    expect(res.body.errors).toEqual([
      {
        message: 'Internal server error',
        locations: [{ line: 2, column: 3 }],
        path: ['resendConfirmationCode'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/internal detail|stack|TypeError/);
    const requestId = res.headers.get('x-request-id');
    const line = h.logs.map((l) => JSON.parse(l)).find((l) => l.requestId === requestId && l.level === 50);
    expect(line.upstream.message).toBe('internal detail: cannot read x');
  });
});
