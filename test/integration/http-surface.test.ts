// What browsers, Apollo Sandbox and sloppy clients meet at the HTTP level: CORS, CSRF prevention, the
// landing page, introspection, body limits and malformed requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/gateway-harness';
import { resend } from '../support/user-pool-requests';

const SANDBOX = 'https://studio.apollographql.com';
const INTROSPECT = { query: '{ __schema { queryType { name } } }' };
const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';

/** The same request accepting only application/json, then only application/graphql-response+json. */
async function inBothMediaTypes(h: Harness, body: unknown) {
  const answers = [];
  for (const accept of ['application/json', 'application/graphql-response+json']) {
    const res = await h.graphql(body, { accept });
    answers.push({
      status: res.status,
      type: res.headers.get('content-type'),
      extensions: res.body.errors[0].extensions,
    });
  }
  return answers;
}

async function preflight(url: string, origin: string) {
  return fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  });
}

describe('outside production', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { CORS_ORIGINS: 'https://app.example.com' } });
  });
  afterAll(() => h.close());

  it('lets Apollo Sandbox through CORS', async () => {
    const res = await preflight(h.url, SANDBOX);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(SANDBOX);
    const post = await h.graphql({ query: '{ serviceInfo { name } }' }, { origin: SANDBOX });
    expect(post.headers.get('access-control-allow-origin')).toBe(SANDBOX);
  });

  it('lets configured origins through CORS and no others', async () => {
    expect(
      (await preflight(h.url, 'https://app.example.com')).headers.get('access-control-allow-origin'),
    ).toBe('https://app.example.com');
    expect(
      (await preflight(h.url, 'https://evil.example.net')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  it('serves the Sandbox landing page to browsers', async () => {
    const res = await fetch(h.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('embeddableSandbox');
  });

  it('forbids sniffing and caching on every GraphQL answer, and sets no CSP (Sandbox and the demo load scripts)', async () => {
    const res = await h.graphql(INTROSPECT);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('content-security-policy')).toBeNull();
  });

  it('answers introspection', async () => {
    const res = await h.graphql(INTROSPECT);
    expect(res.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
  });

  it('refuses a simple cross-site POST (CSRF prevention)', async () => {
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(resend({ username: 'jane' })),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/CSRF/);
    expect(h.standIn.calls).toHaveLength(0);
  });

  it('refuses a mutation over GET', async () => {
    const { query, variables } = resend({ username: 'jane' });
    const params = new URLSearchParams({ query, variables: JSON.stringify(variables) });
    const res = await fetch(`${h.url}?${params}`, { headers: { 'apollo-require-preflight': 'true' } });
    expect(res.status).toBe(405);
    expect(h.standIn.calls).toHaveLength(0);
  });

  it('answers malformed JSON with a 400 BAD_REQUEST and no stack trace', async () => {
    const res = await h.graphql('{"query": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('answers a body over 64 KiB with a 413', async () => {
    const res = await h.graphql(resend({ username: 'jane', padding: 'x'.repeat(70_000) }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      errors: [{ message: 'Request body is too large.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('answers a chunked body over 64 KiB with a 413 as well', async () => {
    const chunks = [JSON.stringify(resend({ username: 'jane', padding: 'x'.repeat(70_000) }))];
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('refuses a compressed body with 415 instead of inflating it', async () => {
    const { gzipSync } = await import('node:zlib');
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify(resend({ username: 'jane' }))),
    });
    expect(res.status).toBe(415);
    expect(await res.json()).toEqual({
      errors: [
        { message: 'Compressed request bodies are not accepted.', extensions: { code: 'BAD_REQUEST' } },
      ],
    });
    expect(h.standIn.calls).toHaveLength(0);
  });

  it('survives a client that leaves in the middle of its body', async () => {
    const { connect } = await import('node:net');
    const { port } = new URL(h.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(
          'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query"',
        );
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await h.graphql({ query: '{ serviceInfo { name } }' })).status).toBe(200);
    expect(h.logs.join('\n')).not.toContain('request failed');
  });

  it('refuses automatic persisted queries', async () => {
    const res = await h.graphql({
      extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } },
      variables: { input: { username: 'jane' } },
    });
    expect(res.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    expect(h.standIn.calls).toHaveLength(0);
  });

  it('refuses batched requests', async () => {
    const res = await h.graphql([
      { query: '{ serviceInfo { name } }' },
      { query: '{ serviceInfo { name } }' },
    ]);
    expect(res.status).toBe(400);
  });

  it('does not echo an inline literal of the wrong type (a validation failure: 200 in application/json, per GraphQL-over-HTTP)', async () => {
    // Its own document on purpose: the shared one takes its input as a variable, never inline.
    const res = await h.graphql({
      query:
        'mutation { resendConfirmationCode(input: { username: 987654321 }) { codeDeliveryDetails { destination } } }',
    });
    expect(res.status).toBe(200);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).not.toContain('987654321');
  });

  it('refuses a subscription at validation, as the API has none (200 in application/json, per GraphQL-over-HTTP)', async () => {
    const res = await h.graphql({ query: 'subscription { anything }' });
    expect(res.status).toBe(200);
    expect(res.body.errors[0]).toMatchObject({
      message: 'This API has no subscription operations.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(h.logs.join('\n')).not.toContain('unexpected error');
  });

  it('answers a syntax error with GRAPHQL_PARSE_FAILED: 200 in application/json, 400 in application/graphql-response+json (GraphQL-over-HTTP)', async () => {
    const answers = await inBothMediaTypes(h, { query: 'mutation {' });
    expect(answers).toEqual([
      { status: 200, type: JSON_TYPE, extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
      { status: 400, type: GRAPHQL_RESPONSE_TYPE, extensions: { code: 'GRAPHQL_PARSE_FAILED' } },
    ]);
  });

  it('answers an operationName that names no operation with OPERATION_RESOLUTION_FAILURE: 200 in application/json, 400 in application/graphql-response+json (GraphQL-over-HTTP)', async () => {
    const answers = await inBothMediaTypes(h, {
      query: 'query A { serviceInfo { name } } query B { serviceInfo { version } }',
      operationName: 'C',
    });
    expect(answers).toEqual([
      { status: 200, type: JSON_TYPE, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
      { status: 400, type: GRAPHQL_RESPONSE_TYPE, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
    ]);
  });

  it('tells which gateway answers', async () => {
    const res = await h.graphql({ query: '{ serviceInfo { name version } }' });
    expect(res.body.data.serviceInfo).toEqual({
      name: 'cognito-public-gateway',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
  });

  it('answers liveness on /healthz', async () => {
    const res = await fetch(h.url.replace('/graphql', '/healthz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
});

describe('in production', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { NODE_ENV: 'production', CORS_ORIGINS: 'https://app.example.com' } });
  });
  afterAll(() => h.close());

  it('does not let Apollo Sandbox through CORS unless configured', async () => {
    expect((await preflight(h.url, SANDBOX)).headers.get('access-control-allow-origin')).toBeNull();
    expect(
      (await preflight(h.url, 'https://app.example.com')).headers.get('access-control-allow-origin'),
    ).toBe('https://app.example.com');
  });

  it('turns introspection off', async () => {
    const res = await h.graphql(INTROSPECT);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.data).toBeUndefined();
  });

  it('gives no "Did you mean" hints that would reveal the schema', async () => {
    const res = await h.graphql({ query: 'mutation { resendConfirmation { x } }' });
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).not.toContain('resendConfirmationCode');
  });

  it('serves no landing page at all, and nothing from a CDN', async () => {
    const res = await fetch(h.url, { headers: { accept: 'text/html' } });
    const text = await res.text();
    expect(text).not.toContain('embeddableSandbox');
    expect(text).not.toContain('apollographql.com');
    expect(res.headers.get('content-type') ?? '').not.toContain('text/html');
  });

  it('puts the security headers on every answer: a CSP that loads nothing, no sniffing, no caching of GraphQL', async () => {
    for (const res of [await h.graphql(INTROSPECT), await fetch(new URL('/nowhere', h.url))]) {
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect((await h.graphql(INTROSPECT)).headers.get('cache-control')).toBe('no-store');
  });

  it('serves the mutation', async () => {
    await h.signUp('prod.user');
    const res = await h.graphql(resend({ username: 'prod.user' }));
    expect(res.body.data.resendConfirmationCode.codeDeliveryDetails.deliveryMedium).toBe('EMAIL');
  });
});

describe('behind a trusted proxy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { TRUST_PROXY: 'loopback', SEND_USER_CONTEXT_IP: 'true' } });
  });
  afterAll(() => h.close());

  it('takes the client IP from X-Forwarded-For', async () => {
    await h.signUp('proxied');
    h.standIn.calls.length = 0;
    await h.graphql(resend({ username: 'proxied' }), { 'x-forwarded-for': '203.0.113.77' });
    expect(h.standIn.calls[0]?.body).toMatchObject({ UserContextData: { IpAddress: '203.0.113.77' } });
  });
});
