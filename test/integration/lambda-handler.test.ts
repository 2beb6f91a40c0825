// The Lambda entry point, invoked as Lambda invokes it: with API Gateway HTTP API (payload 2.0) and ALB events
// shaped as AWS documents them, in front of the local stand-in over real HTTP with the real SDK. Where the
// node:http server and the handler must agree (CORS, CSRF, body errors), the same request is put to both.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CognitoIdentityProviderClient,
  ResendConfirmationCodeCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { createLambdaHandler, type GatewayEvent, type GatewayHandler } from '../../src/lambda/lambda-handler';
import type { LocalCognito } from '../../src/local-cognito';
import { RESEND_CONFIRMATION_CODE, SERVICE_INFO, SIGN_UP } from '../../src/user-pool-calls/documents';
import { codeOfBody as codeOf } from '../support/answers';
import { type Challenge, solvedResponse } from '../support/challenge';
import { type GatewayHarness, startGatewayHarness, type UpstreamCognito } from '../support/gateway-harness';
import { albEvent, graphqlBody, httpApiEvent } from '../support/lambda-events';
import {
  LAMBDA_ORIGIN,
  type LambdaAnswer,
  lambdaEnv,
  lambdaInvoker,
  startLambdaUpstream,
} from '../support/lambda-harness';

const ORIGIN = LAMBDA_ORIGIN;
const resendBody = (username: string) => graphqlBody(RESEND_CONFIRMATION_CODE, { input: { username } });

let standIn: LocalCognito;
let upstream: UpstreamCognito;
let sdk: CognitoIdentityProviderClient;
let requestCount = 0;
/** Every response and log line of every handler built here, for the check that the secret is in none. */
const everything: string[] = [];

beforeAll(async () => {
  ({ standIn, upstream } = await startLambdaUpstream());
  sdk = new CognitoIdentityProviderClient({ region: 'us-east-1', endpoint: standIn.url });
});
afterAll(async () => {
  sdk.destroy();
  await standIn.close();
});

const baseEnv = () => lambdaEnv(upstream);

interface Lambda {
  handler: GatewayHandler;
  logs: string[];
  invoke(event: GatewayEvent): Promise<LambdaAnswer>;
}

function lambda(env: Record<string, string> = {}, cognitoClient?: CognitoIdentityProviderClient): Lambda {
  const logs: string[] = [];
  const handler = createLambdaHandler(
    { ...baseEnv(), ...env },
    {
      logDestination: {
        write: (line: string) => {
          logs.push(line);
          everything.push(line);
        },
      },
      ...(cognitoClient && { cognitoClient }),
    },
  );
  const invoke = lambdaInvoker(
    handler,
    () => {
      requestCount += 1;
      return `request-${requestCount}`;
    },
    (text) => everything.push(text),
  );
  return { handler, logs, invoke };
}

async function signUp(username: string): Promise<void> {
  await sdk.send(
    new SignUpCommand({
      ClientId: upstream.clientId,
      SecretHash: computeSecretHash(username, upstream.clientId, upstream.clientSecret),
      Username: username,
      Password: 'correct-horse-battery',
      UserAttributes: [{ Name: 'email', Value: `${username.replace(/@.*/, '')}@example.com` }],
    }),
  );
}

const resendCalls = () => standIn.calls.filter((c) => c.action === 'ResendConfirmationCode');
// biome-ignore lint/suspicious/noExplicitAny: the stand-in records request bodies as parsed JSON
const lastResend = (): any => resendCalls().at(-1)?.body;

describe('the Lambda handler behind an HTTP API', () => {
  let gateway: Lambda;
  beforeAll(async () => {
    gateway = lambda();
    await signUp('http.api@example.com');
  });

  it('sends resendConfirmationCode to Cognito with a SecretHash that the stand-in verified', async () => {
    const res = await gateway.invoke(httpApiEvent({ body: resendBody('http.api@example.com') }));
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({
      data: {
        resendConfirmationCode: {
          codeDeliveryDetails: { destination: 'h***@e***', deliveryMedium: 'EMAIL', attributeName: 'email' },
        },
      },
    });
    expect(lastResend().SecretHash).toBe(
      computeSecretHash('http.api@example.com', upstream.clientId, upstream.clientSecret),
    );
    expect(res.headers?.['x-request-id']).toBe(`request-${requestCount}`);
  });

  it('gives Cognito requestContext.http.sourceIp as the client IP, never the X-Forwarded-For header', async () => {
    await gateway.invoke(
      httpApiEvent({
        body: resendBody('http.api@example.com'),
        sourceIp: '198.51.100.77',
        headers: { 'x-forwarded-for': '6.6.6.6' },
      }),
    );
    expect(lastResend().UserContextData).toEqual({ IpAddress: '198.51.100.77' });
  });

  it('routes /graphql under a named stage', async () => {
    const res = await gateway.invoke(
      httpApiEvent({ stage: 'prod', body: resendBody('http.api@example.com') }),
    );
    expect(codeOf(res.json)).toBe('OK');
  });

  it('reads a base64-encoded body', async () => {
    const before = resendCalls().length;
    const body = Buffer.from(resendBody('http.api@example.com')).toString('base64');
    const res = await gateway.invoke(httpApiEvent({ body, isBase64Encoded: true }));
    expect(codeOf(res.json)).toBe('OK');
    expect(resendCalls().length - before).toBe(1);
  });

  it('answers malformed JSON with 400 BAD_REQUEST and a body over 64 KiB with 413, as the server does', async () => {
    const bad = await gateway.invoke(httpApiEvent({ body: '{"query": ' }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json).toEqual({
      errors: [{ message: 'Request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }],
    });
    const padding = 'x'.repeat(70_000);
    const big = graphqlBody(RESEND_CONFIRMATION_CODE, { input: { username: 'jane', padding } });
    for (const event of [
      httpApiEvent({ body: big }),
      httpApiEvent({ body: Buffer.from(big).toString('base64'), isBase64Encoded: true }),
    ]) {
      const res = await gateway.invoke(event);
      expect(res.statusCode).toBe(413);
      expect(res.json).toEqual({
        errors: [{ message: 'Request body is too large.', extensions: { code: 'BAD_REQUEST' } }],
      });
    }
  });

  it('answers paths other than /graphql with the server 404, and /challenge too while the challenge is off', async () => {
    for (const path of ['/metrics', '/readyz', '/healthz', '/challenge', '/']) {
      const res = await gateway.invoke(httpApiEvent({ method: 'GET', path }));
      expect([path, res.statusCode, res.body]).toEqual([path, 404, 'Not found']);
    }
  });

  it('masks an event of another kind (REST API payload 1.0) as a 500 without details', async () => {
    const event = { ...httpApiEvent(), version: '1.0' } as unknown as GatewayEvent;
    const res = await gateway.invoke(event);
    expect(res.statusCode).toBe(500);
    expect(res.json.errors[0].extensions.code).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('the Lambda handler behind an ALB', () => {
  let gateway: Lambda;
  beforeAll(async () => {
    gateway = lambda();
    await signUp('alb.user@example.com');
  });

  it('takes the client IP from the last X-Forwarded-For entry, the one the ALB appended', async () => {
    const res = await gateway.invoke(
      albEvent({
        body: resendBody('alb.user@example.com'),
        forwardedFor: '6.6.6.6, 10.0.0.1, 198.51.100.23',
      }),
    );
    expect(res.statusCode).toBe(200);
    expect(codeOf(res.json)).toBe('OK');
    expect(lastResend().UserContextData).toEqual({ IpAddress: '198.51.100.23' });
    expect(res).toMatchObject({ statusDescription: '200 OK', isBase64Encoded: false });
    expect(res.headers?.['content-type']).toMatch(/^application\/graphql-response\+json|application\/json/);
  });

  it('refuses an ALB event without X-Forwarded-For as FORBIDDEN: there is no address to count it under', async () => {
    const before = resendCalls().length;
    const res = await gateway.invoke(albEvent({ body: resendBody('alb.user@example.com') }));
    expect(codeOf(res.json)).toBe('FORBIDDEN');
    expect(resendCalls().length).toBe(before);
  });

  it('reads and answers multi-value headers when the target group has them on', async () => {
    const res = await gateway.invoke(
      albEvent({ multiValue: true, body: resendBody('alb.user@example.com'), forwardedFor: '198.51.100.24' }),
    );
    expect(codeOf(res.json)).toBe('OK');
    expect(lastResend().UserContextData).toEqual({ IpAddress: '198.51.100.24' });
    expect(res).not.toHaveProperty('headers');
    expect(res).toHaveProperty(['multiValueHeaders', 'x-request-id'], [`request-${requestCount}`]);
  });

  it('reads a GET query string as the client encoded it', async () => {
    const res = await gateway.invoke(
      albEvent({
        method: 'GET',
        query: 'query={ serviceInfo { challengeMode } }',
        forwardedFor: '198.51.100.25',
        headers: { 'apollo-require-preflight': 'true' },
      }),
    );
    expect(res.json).toEqual({ data: { serviceInfo: { challengeMode: 'OFF' } } });
  });
});

describe('the per-IP limit on Lambda', () => {
  let gateway: Lambda;
  beforeAll(() => {
    gateway = lambda({ LIMIT_RESEND_IP_PER_HOUR: '2' });
  });

  it('counts calls by sourceIp, whatever X-Forwarded-For they send', async () => {
    const codes: unknown[] = [];
    for (const i of [1, 2, 3]) {
      const res = await gateway.invoke(
        httpApiEvent({
          body: resendBody(`limited.${i}@example.com`),
          sourceIp: '192.0.2.50',
          headers: { 'x-forwarded-for': `203.0.113.${i}` },
        }),
      );
      codes.push(codeOf(res.json));
    }
    expect(codes.slice(0, 2)).not.toContain('RATE_LIMITED');
    expect(codes[2]).toBe('RATE_LIMITED');
    const elsewhere = await gateway.invoke(
      httpApiEvent({ body: resendBody('limited.4@example.com'), sourceIp: '192.0.2.51' }),
    );
    expect(codeOf(elsewhere.json)).not.toBe('RATE_LIMITED');
  });

  it('counts ALB calls by the last X-Forwarded-For entry, not by the ones the client put before it', async () => {
    const codes: unknown[] = [];
    for (const i of [1, 2, 3]) {
      const res = await gateway.invoke(
        albEvent({
          body: resendBody(`alb.limited.${i}@example.com`),
          forwardedFor: `203.0.113.${i}, 192.0.2.60`,
        }),
      );
      codes.push(codeOf(res.json));
    }
    expect(codes[2]).toBe('RATE_LIMITED');
  });
});

describe('CORS and CSRF on Lambda, as on the node:http server', () => {
  let gateway: Lambda;
  let server: GatewayHarness;
  beforeAll(async () => {
    gateway = lambda();
    server = await startGatewayHarness(upstream, { env: baseEnv() });
  });
  afterAll(() => server.close());

  const PREFLIGHT = {
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type',
  };
  const SHOWN = [
    'access-control-allow-origin',
    'access-control-allow-methods',
    'access-control-allow-headers',
    'access-control-max-age',
    'vary',
  ];

  /** The same request to the server and to the handler: status, CORS headers and body of each. */
  async function both(method: string, headers: Record<string, string>, body?: string) {
    const res = await fetch(server.url, { method, headers, ...(body !== undefined && { body }) });
    const fromServer = {
      status: res.status,
      headers: Object.fromEntries(SHOWN.map((name) => [name, res.headers.get(name) ?? undefined])),
      body: await res.text(),
    };
    const result = await gateway.invoke(
      httpApiEvent({ method, headers, ...(body !== undefined && { body }) }),
    );
    const fromLambda = {
      status: result.statusCode,
      headers: Object.fromEntries(SHOWN.map((name) => [name, result.headers?.[name]?.toString()])),
      body: result.body,
    };
    return { fromServer, fromLambda };
  }

  it('answers a preflight from an allowed origin as the server does', async () => {
    const { fromServer, fromLambda } = await both('OPTIONS', { origin: ORIGIN, ...PREFLIGHT });
    expect(fromLambda.status).toBe(204);
    expect(fromLambda.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(fromLambda).toEqual(fromServer);
  });

  it('gives a preflight from another origin no CORS headers, as the server does', async () => {
    const { fromServer, fromLambda } = await both('OPTIONS', {
      origin: 'https://evil.example.net',
      ...PREFLIGHT,
    });
    expect(fromLambda.headers['access-control-allow-origin']).toBeUndefined();
    expect(fromLambda).toEqual(fromServer);
  });

  it('lets an allowed origin read the answer and no other, as the server does', async () => {
    const body = graphqlBody('{ serviceInfo { challengeMode } }');
    for (const origin of [ORIGIN, 'https://evil.example.net']) {
      const { fromServer, fromLambda } = await both(
        'POST',
        { origin, 'content-type': 'application/json' },
        body,
      );
      expect(fromLambda.headers['access-control-allow-origin']).toBe(origin === ORIGIN ? ORIGIN : undefined);
      expect(fromLambda).toEqual(fromServer);
    }
  });

  it('refuses a simple cross-site POST and a GET without a preflight header (CSRF), calling no Cognito', async () => {
    const before = resendCalls().length;
    const post = await both('POST', { 'content-type': 'text/plain' }, resendBody('csrf@example.com'));
    expect(post.fromLambda.status).toBe(400);
    expect(post.fromLambda.body).toMatch(/CSRF/);
    expect(post.fromLambda).toEqual(post.fromServer);
    const get = await gateway.invoke(
      httpApiEvent({ method: 'GET', query: 'query=%7B%20serviceInfo%20%7B%20challengeMode%20%7D%20%7D' }),
    );
    expect(get.statusCode).toBe(400);
    expect(get.body).toMatch(/CSRF/);
    expect(resendCalls().length).toBe(before);
  });

  it('refuses a compressed body with 415, as the server does', async () => {
    const { fromServer, fromLambda } = await both(
      'POST',
      { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      resendBody('gzip@example.com'),
    );
    expect(fromLambda.status).toBe(415);
    expect(fromLambda).toEqual(fromServer);
  });
});

describe('trusted documents on Lambda', () => {
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  let gateway: Lambda;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-trusted-'));
    const manifest = join(dir, 'persisted-documents.json');
    writeFileSync(
      manifest,
      JSON.stringify({ [sha256(SIGN_UP)]: SIGN_UP, [sha256(SERVICE_INFO)]: SERVICE_INFO }),
    );
    gateway = lambda({ TRUSTED_DOCUMENTS_FILE: manifest });
  });

  it('refuses a full query with PERSISTED_DOCUMENT_REQUIRED and an unknown id with PERSISTED_DOCUMENT_NOT_FOUND (400)', async () => {
    const query = await gateway.invoke(httpApiEvent({ body: graphqlBody(SERVICE_INFO) }));
    expect([query.statusCode, codeOf(query.json)]).toEqual([400, 'PERSISTED_DOCUMENT_REQUIRED']);
    const unknown = await gateway.invoke(
      httpApiEvent({ body: JSON.stringify({ documentId: sha256('query Other { serviceInfo { name } }') }) }),
    );
    expect([unknown.statusCode, codeOf(unknown.json)]).toEqual([400, 'PERSISTED_DOCUMENT_NOT_FOUND']);
  });

  it('runs a manifest document named by documentId or by the persistedQuery extension', async () => {
    for (const body of [
      { documentId: `sha256:${sha256(SERVICE_INFO)}` },
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(SERVICE_INFO) } } },
    ]) {
      const res = await gateway.invoke(httpApiEvent({ body: JSON.stringify(body) }));
      expect(res.json).toEqual({ data: { serviceInfo: { challengeMode: 'OFF' } } });
    }
  });
});

describe('GET /challenge on Lambda', () => {
  it('is served with the CORS of /graphql while CHALLENGE_MODE is on, and its solution opens a resend', async () => {
    await signUp('challenged@example.com');
    const gateway = lambda({
      CHALLENGE_MODE: 'always',
      CHALLENGE_HMAC_KEY: 'lambda-challenge-key-0123456789abcdef',
      CHALLENGE_COST: '100',
    });
    const res = await gateway.invoke(
      httpApiEvent({ method: 'GET', path: '/challenge', headers: { origin: ORIGIN } }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['cache-control']).toBe('no-store');
    expect(res.headers?.['access-control-allow-origin']).toBe(ORIGIN);
    const without = await gateway.invoke(httpApiEvent({ body: resendBody('challenged@example.com') }));
    expect(codeOf(without.json)).toBe('CHALLENGE_REQUIRED');
    const challengeResponse = await solvedResponse(res.json as Challenge);
    const input = { username: 'challenged@example.com', challengeResponse };
    const solved = await gateway.invoke(
      httpApiEvent({ body: graphqlBody(RESEND_CONFIRMATION_CODE, { input }) }),
    );
    expect(codeOf(solved.json)).toBe('OK');
  });
});

describe('errors on Lambda', () => {
  it('masks an unexpected failure as INTERNAL_SERVER_ERROR and logs it in full with the request id', async () => {
    const client = new CognitoIdentityProviderClient({ region: 'us-east-1' });
    mockClient(client)
      .on(ResendConfirmationCodeCommand)
      .rejects(new TypeError('internal detail: cannot read x'));
    const gateway = lambda({}, client);
    const res = await gateway.invoke(httpApiEvent({ body: resendBody('jane') }));
    expect(res.json.errors).toEqual([
      {
        message: 'Internal server error',
        locations: [{ line: 2, column: 3 }],
        path: ['resendConfirmationCode'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(res.body).not.toMatch(/internal detail|stack|TypeError/);
    const line = gateway.logs
      .map((l) => JSON.parse(l))
      .find((l) => l.requestId === `request-${requestCount}` && l.level === 50);
    expect(line.upstream.message).toBe('internal detail: cannot read x');
  });

  it('warns once at init, in production, that the limits are per execution environment without REDIS_URL', async () => {
    const gateway = lambda();
    await gateway.invoke(httpApiEvent({ body: graphqlBody('{ serviceInfo { challengeMode } }') }));
    const warnings = gateway.logs.map((l) => JSON.parse(l)).filter((l) => /REDIS_URL/.test(l.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0].level).toBe(40);
  });

  it('reports a configuration that cannot serve once, as one line, and answers every request with a masked 500', async () => {
    const printed: string[] = [];
    const spy = vi
      .spyOn(console, 'error')
      .mockImplementation((line: unknown) => void printed.push(String(line)));
    try {
      for (const env of [
        { NODE_ENV: 'production' },
        // Outside production no COGNITO_* would mean the embedded stand-in, which Lambda never starts.
        { NODE_ENV: 'development' },
      ]) {
        printed.length = 0;
        const handler = createLambdaHandler(env);
        for (const awsRequestId of ['first', 'second']) {
          const result = await handler(httpApiEvent({ body: resendBody('jane') }), { awsRequestId });
          expect(result.statusCode).toBe(500);
          expect(JSON.parse(result.body ?? '')).toEqual({
            errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
          });
        }
        const reports = printed.filter((line) => line.startsWith('Invalid configuration:'));
        expect(reports).toHaveLength(1);
        expect(reports[0]).toMatch(/^Invalid configuration:\n {2}- COGNITO_CLIENT_ID: is required/);
        expect(printed.join('\n')).not.toMatch(/\n\s+at /);
      }
    } finally {
      spy.mockRestore();
    }
  });

  it('never puts the client secret in a response or a log line', () => {
    expect(everything.length).toBeGreaterThan(20);
    expect(everything.filter((text) => text.includes(upstream.clientSecret))).toEqual([]);
  });
});

describe('the handler module (dist/src/lambda/handler.handler)', () => {
  it('is built from process.env at load and serves an HTTP API event', async () => {
    await signUp('module@example.com');
    for (const [name, value] of Object.entries({ ...baseEnv(), LOG_LEVEL: 'silent' }))
      vi.stubEnv(name, value);
    try {
      vi.resetModules();
      const { handler } = await import('../../src/lambda/handler');
      const result = await handler(httpApiEvent({ body: resendBody('module@example.com') }), {
        awsRequestId: 'module-request',
      });
      expect(JSON.parse(result.body ?? '').data.resendConfirmationCode.codeDeliveryDetails.destination).toBe(
        'm***@e***',
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
