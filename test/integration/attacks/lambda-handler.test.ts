// Attacks on the Lambda entry point, each counted where it matters: the calls that reached the Cognito
// stand-in. A spoofed or mangled client address must never buy a fresh per-IP bucket, no CORS or CSRF
// variant, body trick, path or method runs a mutation it should not, a production manifest runs nothing
// else, and no event, however malformed, gets anything but a masked answer (never the client secret).
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ALBEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { demoDocumentManifest } from '../../../src/dev/demo-documents';
import { DOCUMENTS_PATH, demoPage } from '../../../src/dev/demo-page';
import { createLambdaHandler } from '../../../src/lambda/lambda-handler';
import type { LocalCognito } from '../../../src/local-cognito';
import { RESEND_CONFIRMATION_CODE, SERVICE_INFO, SIGN_UP } from '../../../src/user-pool-calls/documents';
import { codeOfBody as codeOf } from '../../support/answers';
import { startHarness, type UpstreamCognito } from '../../support/gateway-harness';
import { albEvent, graphqlBody, httpApiEvent } from '../../support/lambda-events';
import {
  LAMBDA_ORIGIN,
  type LambdaAnswer,
  lambdaEnv,
  lambdaInvoker,
  startLambdaUpstream,
} from '../../support/lambda-harness';

const ORIGIN = LAMBDA_ORIGIN;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const resendBody = (username: string) => graphqlBody(RESEND_CONFIRMATION_CODE, { input: { username } });

let standIn: LocalCognito;
let upstream: UpstreamCognito;
/** Every response and log line, for the check that the secret is in none. */
const everything: string[] = [];
let invocations = 0;

beforeAll(async () => {
  ({ standIn, upstream } = await startLambdaUpstream());
});
afterAll(() => standIn.close());

const baseEnv = () => lambdaEnv(upstream);

function lambda(env: Record<string, string> = {}) {
  const handler = createLambdaHandler(
    { ...baseEnv(), ...env },
    { logDestination: { write: (line: string) => void everything.push(line) } },
  );
  return lambdaInvoker(
    handler,
    () => {
      invocations += 1;
      return `attack-${invocations}`;
    },
    (text) => everything.push(text),
  );
}

const calls = (action: string) => standIn.calls.filter((c) => c.action === action).length;
const resends = () => calls('ResendConfirmationCode');
const signUps = () => calls('SignUp');
/** The client IP that the last resend gave Cognito. */
function lastResendIp(): unknown {
  const body = standIn.calls.filter((c) => c.action === 'ResendConfirmationCode').at(-1)?.body;
  return (body as { UserContextData?: { IpAddress?: string } } | undefined)?.UserContextData?.IpAddress;
}

let user = 0;
const nextUser = () => {
  user += 1;
  return `attack.${user}@example.com`;
};

/** Sends every event, each for a new username, and tells how many reached Cognito and what each got. */
async function reached(
  invoke: (event: unknown) => Promise<LambdaAnswer>,
  events: Array<(body: string) => unknown>,
) {
  const before = resends();
  const codes: unknown[] = [];
  for (const event of events) codes.push(codeOf((await invoke(event(resendBody(nextUser())))).json));
  return { upstream: resends() - before, codes };
}

/** Every event refused as FORBIDDEN (no address to count it under), none reaching Cognito. */
async function expectNoAddress(
  invoke: (event: unknown) => Promise<LambdaAnswer>,
  events: Array<(body: string) => unknown>,
) {
  const { upstream: n, codes } = await reached(invoke, events);
  expect(n).toBe(0);
  expect(new Set(codes)).toEqual(new Set(['FORBIDDEN']));
}

describe('client IP spoofing behind an HTTP API', () => {
  it('counts every request by requestContext.http.sourceIp, whatever address headers say (2 of 12 reach Cognito)', async () => {
    const invoke = lambda({ LIMIT_RESEND_IP_PER_HOUR: '2' });
    const spoofs: Array<Record<string, string>> = [
      { 'x-forwarded-for': '203.0.113.1' },
      { 'X-Forwarded-For': '203.0.113.2' },
      { 'X-FORWARDED-FOR': '203.0.113.3, 203.0.113.4' },
      { forwarded: 'for=203.0.113.5' },
      { 'x-real-ip': '203.0.113.6' },
      { 'cf-connecting-ip': '203.0.113.7' },
      { 'true-client-ip': '203.0.113.8' },
      { 'x-client-ip': '203.0.113.9' },
      { 'x-forwarded-for': '' },
      { 'x-forwarded-for': `${'203.0.113.10, '.repeat(2_000)}203.0.113.11` },
      { 'x-amzn-source-ip': '203.0.113.12' },
      { 'x-forwarded-for': 'unknown' },
    ];
    const { upstream: n, codes } = await reached(
      invoke,
      spoofs.map((headers) => (body) => httpApiEvent({ body, sourceIp: '192.0.2.70', headers })),
    );
    expect(n).toBe(2);
    expect(codes.slice(2).every((c) => c === 'RATE_LIMITED')).toBe(true);
  });

  it('treats spellings of one sourceIp as one bucket (mapped IPv4, IPv6 zero runs)', async () => {
    const invoke = lambda({ LIMIT_RESEND_IP_PER_HOUR: '2' });
    const ips = ['192.0.2.71', '::ffff:192.0.2.71', '::ffff:c000:0247', '0:0:0:0:0:ffff:192.0.2.71'];
    const { upstream: n } = await reached(
      invoke,
      ips.map((sourceIp) => (body) => httpApiEvent({ body, sourceIp })),
    );
    expect(n).toBe(2);
  });

  it('refuses a missing or garbage sourceIp instead of counting it in a shared bucket (0 reach Cognito)', async () => {
    const invoke = lambda();
    const ips = [
      '',
      'unknown',
      '-',
      '999.1.1.1',
      '192.0.2',
      '1.2.3.4.5',
      '0x7f.1',
      ' ',
      '192.0.2.1, 192.0.2.2',
    ];
    await expectNoAddress(
      invoke,
      ips.map((sourceIp) => (body) => httpApiEvent({ body, sourceIp })),
    );
  });
});

describe('client IP spoofing behind an ALB', () => {
  it('uses the last X-Forwarded-For entry however the client pads what comes before it (2 of 8 reach Cognito)', async () => {
    const invoke = lambda({ LIMIT_RESEND_IP_PER_HOUR: '2' });
    const real = '192.0.2.80';
    const chains = [
      real,
      `203.0.113.1, ${real}`,
      `203.0.113.2,${real}`,
      `  203.0.113.3 ,   ${real}  `,
      `, , ${real}`,
      `${'203.0.113.4, '.repeat(5_000)}${real}`,
      `203.0.113.5:443, ${real}:5000`,
      `[2001:db8::1]:443, ${real}`,
    ];
    const { upstream: n, codes } = await reached(
      invoke,
      chains.map((forwardedFor) => (body) => albEvent({ body, forwardedFor })),
    );
    expect(n).toBe(2);
    expect(codes.slice(2).every((c) => c === 'RATE_LIMITED')).toBe(true);
  });

  it('never falls back to an earlier entry when the last one is empty or garbage (0 reach Cognito)', async () => {
    const invoke = lambda();
    const chains = [
      '192.0.2.81,',
      '192.0.2.81, ',
      '192.0.2.81, unknown',
      '192.0.2.81, 192.0.2.82 192.0.2.83',
      '',
    ];
    await expectNoAddress(
      invoke,
      chains.map((forwardedFor) => (body) => albEvent({ body, forwardedFor })),
    );
  });

  it('reads several multi-value X-Forwarded-For lines as one list: the last entry of the last line counts', async () => {
    const invoke = lambda({ LIMIT_RESEND_IP_PER_HOUR: '2' });
    const lines = [
      ['203.0.113.20', '192.0.2.84'],
      ['203.0.113.21, 203.0.113.22', '192.0.2.84'],
      ['203.0.113.23', '203.0.113.24, 192.0.2.84'],
      ['203.0.113.25', '', '192.0.2.84'],
    ];
    const { upstream: n } = await reached(
      invoke,
      lines.map((values) => (body) => {
        const event = albEvent({ multiValue: true, body, forwardedFor: 'placeholder' });
        return { ...event, multiValueHeaders: { ...event.multiValueHeaders, 'x-forwarded-for': values } };
      }),
    );
    expect(n).toBe(2);
    expect(lastResendIp()).toBe('192.0.2.84');
  });

  it('takes the multi-value headers when the event has both forms, as the target group sent them', async () => {
    const invoke = lambda();
    const event = albEvent({ multiValue: true, body: resendBody(nextUser()), forwardedFor: '192.0.2.85' });
    const both: ALBEvent = { ...event, headers: { 'x-forwarded-for': '203.0.113.30' } };
    const res = await invoke(both);
    expect(codeOf(res.json)).not.toBe('FORBIDDEN');
    expect(lastResendIp()).toBe('192.0.2.85');
  });

  it('treats IPv6 zone ids of one address as that address, never as a fresh bucket each', async () => {
    const invoke = lambda({ LIMIT_RESEND_IP_PER_HOUR: '2' });
    const chains = [
      '2001:db8::9',
      '2001:db8::9%1',
      '2001:db8::9%eth0',
      '2001:db8::9%2',
      '[2001:db8::9%3]:80',
    ];
    const { upstream: n } = await reached(
      invoke,
      chains.map((forwardedFor) => (body) => albEvent({ body, forwardedFor })),
    );
    expect(n).toBeLessThanOrEqual(2);
  });
});

describe('CORS and CSRF bypass attempts on Lambda', () => {
  let invoke: (event: unknown) => Promise<LambdaAnswer>;
  beforeAll(() => {
    invoke = lambda();
  });

  it('gives no CORS grant to an origin that differs in case, scheme, port, a trailing slash or is `null`', async () => {
    for (const origin of [
      'HTTPS://APP.EXAMPLE.COM',
      'https://App.Example.com',
      'http://app.example.com',
      'https://app.example.com:443',
      'https://app.example.com/',
      'https://app.example.com.evil.net',
      'null',
      `${ORIGIN}, https://evil.example.net`,
    ]) {
      for (const method of ['OPTIONS', 'POST']) {
        const res = await invoke(
          httpApiEvent({
            method,
            headers: { origin, 'access-control-request-method': 'POST' },
            ...(method === 'POST' && { body: graphqlBody('{ serviceInfo { challengeMode } }') }),
          }),
        );
        expect([origin, method, res.headers?.['access-control-allow-origin']]).toEqual([
          origin,
          method,
          undefined,
        ]);
      }
    }
  });

  it('refuses every simple (non-preflighted) content type and a missing one, calling no Cognito', async () => {
    const contentTypes = [
      'text/plain',
      'text/plain; charset=utf-8',
      'TEXT/PLAIN',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'text/plain, application/json',
      'application/json, text/plain',
      'text/plain;application/json',
      '',
    ];
    const before = resends();
    for (const type of contentTypes) {
      const res = await invoke(
        httpApiEvent({ body: resendBody(nextUser()), headers: { 'content-type': type } }),
      );
      expect([type, res.statusCode]).toEqual([type, 400]);
    }
    const event = httpApiEvent({ body: resendBody(nextUser()) });
    const { 'content-type': _dropped, ...noType } = event.headers;
    expect((await invoke({ ...event, headers: noType })).statusCode).toBe(400);
    // An ALB with multi-value headers on: two content-type lines, one of them JSON.
    for (const values of [
      ['text/plain', 'application/json'],
      ['application/json', 'text/plain'],
    ]) {
      const alb = albEvent({ multiValue: true, body: resendBody(nextUser()), forwardedFor: '192.0.2.90' });
      const res = await invoke({
        ...alb,
        multiValueHeaders: { ...alb.multiValueHeaders, 'content-type': values },
      });
      expect(res.statusCode).toBe(400);
    }
    expect(resends() - before).toBe(0);
  });

  it('never runs a mutation over GET, HEAD, PUT, lower-case post or an OPTIONS with a body (0 reach Cognito)', async () => {
    const before = resends();
    const query = new URLSearchParams({
      query: RESEND_CONFIRMATION_CODE,
      variables: JSON.stringify({ input: { username: nextUser() } }),
    }).toString();
    const preflighted = { 'apollo-require-preflight': 'true', 'content-type': 'application/json' };
    for (const method of ['GET', 'HEAD']) {
      const res = await invoke(httpApiEvent({ method, query, headers: preflighted }));
      expect([method, res.statusCode]).toEqual([method, 405]);
    }
    for (const method of ['PUT', 'PATCH', 'DELETE', 'post', 'OPTIONS']) {
      const res = await invoke(httpApiEvent({ method, body: resendBody(nextUser()), headers: preflighted }));
      // Without an allowed Origin an OPTIONS is no preflight: Apollo answers it as any other method (405).
      expect([method, res.statusCode, res.json?.data]).toEqual([method, 405, undefined]);
    }
    const odd = await invoke(
      httpApiEvent({
        method: 'OPTIONS',
        headers: { origin: ORIGIN, 'access-control-request-method': 'DELETE' },
      }),
    );
    expect(odd.statusCode).toBe(204);
    expect(odd.body).toBe('');
    expect(resends() - before).toBe(0);
  });
});

describe('body limit bypass attempts on Lambda', () => {
  let invoke: (event: unknown) => Promise<LambdaAnswer>;
  beforeAll(() => {
    invoke = lambda();
  });
  const padded = (bytes: number) =>
    graphqlBody(RESEND_CONFIRMATION_CODE, { input: { username: nextUser() }, padding: 'x'.repeat(bytes) });

  it('refuses a body past 64 KiB however its headers lie about its length (0 reach Cognito)', async () => {
    const before = resends();
    for (const length of ['0', '1', '-1', 'abc', '', '65536', '1e3']) {
      const event = httpApiEvent({ body: padded(70_000) });
      const res = await invoke({ ...event, headers: { ...event.headers, 'content-length': length } });
      expect([length, res.statusCode]).toEqual([length, 413]);
    }
    expect(resends() - before).toBe(0);
  });

  it('measures a base64 body decoded: 88 KB of base64 holding 66 KB is refused, 80 KB holding 60 KB runs', async () => {
    const before = resends();
    const big = Buffer.from(padded(66_000)).toString('base64');
    expect((await invoke(httpApiEvent({ body: big, isBase64Encoded: true }))).statusCode).toBe(413);
    const text = padded(60_000);
    const fits = Buffer.from(text).toString('base64');
    expect(fits.length).toBeGreaterThan(64 * 1024);
    // API Gateway passes the client's Content-Length, that of the bytes before encoding.
    const event = httpApiEvent({ body: fits, isBase64Encoded: true });
    const length = { 'content-length': String(Buffer.byteLength(text)) };
    // A variable the operation does not declare is ignored: the resend runs.
    const res = await invoke({ ...event, headers: { ...event.headers, ...length } });
    expect(res.statusCode).toBe(200);
    expect(resends() - before).toBe(1);
  });

  it('refuses a POST with no body, a whitespace body, or `isBase64Encoded` given as a string, calling no Cognito', async () => {
    const before = resends();
    const event = httpApiEvent({ body: resendBody(nextUser()) });
    const { body: _body, ...noBody } = event;
    for (const variant of [
      noBody,
      { ...event, body: null },
      { ...event, body: '   ' },
      { ...event, isBase64Encoded: 'false' },
    ]) {
      const res = await invoke(variant);
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toMatch(/\n\s+at /);
    }
    expect(resends() - before).toBe(0);
  });
});

describe('path tricks on Lambda', () => {
  it('serves /graphql only, under the stage named in requestContext only (0 reach Cognito otherwise)', async () => {
    const invoke = lambda();
    const before = resends();
    const paths = [
      '/graphql/',
      '//graphql',
      '/GRAPHQL',
      '/Graphql',
      '/%67raphql',
      '/graphql%2F',
      '/graphql?',
      '/graphql;x',
      '/./graphql',
      '/x/../graphql',
      '/prod/graphql',
      '/graphql%00',
      ' /graphql',
    ];
    for (const path of paths) {
      const res = await invoke(httpApiEvent({ path, body: resendBody(nextUser()) }));
      expect([path, res.statusCode, res.body]).toEqual([path, 404, 'Not found']);
    }
    for (const [stage, rawPath] of [
      ['prod', '/prodgraphql'],
      ['prod', '/prod/prod/graphql'],
      ['prod', '/PROD/graphql'],
    ] as const) {
      const event = httpApiEvent({ stage, body: resendBody(nextUser()) });
      const res = await invoke({ ...event, rawPath });
      expect([rawPath, res.statusCode]).toEqual([rawPath, 404]);
    }
    for (const path of ['/graphql/', '/GRAPHQL', '//graphql']) {
      const res = await invoke(albEvent({ path, body: resendBody(nextUser()), forwardedFor: '192.0.2.91' }));
      expect([path, res.statusCode]).toEqual([path, 404]);
    }
    expect(resends() - before).toBe(0);
  });
});

describe('trusted documents in strict production on Lambda', () => {
  const SIGN_UP_ID = sha256(SIGN_UP);
  const SERVICE_INFO_ID = sha256(SERVICE_INFO);
  const UNKNOWN_ID = sha256('query Other { serviceInfo { challengeMode } }');
  // Its own document on purpose: a sign-up that is in no manifest, its input written inline.
  const injected = `mutation { a: signUp(input: { username: "x@example.com", password: "correct-horse-battery" }) { userSub } }`;
  let invoke: (event: unknown) => Promise<LambdaAnswer>;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-attacks-'));
    const manifest = join(dir, 'persisted-documents.json');
    writeFileSync(manifest, JSON.stringify({ [SIGN_UP_ID]: SIGN_UP, [SERVICE_INFO_ID]: SERVICE_INFO }));
    invoke = lambda({ TRUSTED_DOCUMENTS_FILE: manifest });
  });
  const apq = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

  it('runs nothing outside the manifest over POST, whatever the body combines (0 sign-ups reach Cognito)', async () => {
    const before = signUps();
    const bodies: unknown[] = [
      { query: injected },
      { query: injected, documentId: SIGN_UP_ID },
      { query: injected, extensions: apq(SIGN_UP_ID) },
      { query: injected, extensions: apq(UNKNOWN_ID) },
      { extensions: apq(UNKNOWN_ID) },
      { extensions: { ...apq(UNKNOWN_ID), other: 1 }, query: injected },
      { query: injected, extensions: { persistedQuery: { version: 1 } } },
      { query: injected, extensions: { persistedQuery: 'x' } },
      { query: injected, documentId: null },
      { query: injected, documentId: [SIGN_UP_ID] },
      { documentId: [SIGN_UP_ID], query: injected },
      { documentId: SIGN_UP_ID, extensions: apq(UNKNOWN_ID) },
      { documentId: `sha256:${SIGN_UP_ID}`, extensions: apq(SIGN_UP_ID), query: injected },
      { query: [injected] },
      { query: { kind: 'Document' } },
      { id: SIGN_UP_ID, query: injected },
      { queryId: SIGN_UP_ID, query: injected },
      [{ query: injected }],
      [{ documentId: SIGN_UP_ID }],
    ];
    for (const body of bodies) {
      const res = await invoke(httpApiEvent({ body: JSON.stringify(body) }));
      expect([body, res.statusCode >= 400, res.json?.data]).toEqual([body, true, undefined]);
    }
    expect(signUps() - before).toBe(0);
  });

  it('runs nothing outside the manifest over GET, on an HTTP API or an ALB (0 sign-ups reach Cognito)', async () => {
    const before = signUps();
    const preflighted = { 'apollo-require-preflight': 'true' };
    const queries = [
      new URLSearchParams({ query: SERVICE_INFO.replace('ServiceInfo', 'Mine') }),
      new URLSearchParams({ query: injected }),
      new URLSearchParams({ documentId: SERVICE_INFO_ID, query: '{ __typename }' }),
      new URLSearchParams({ extensions: JSON.stringify(apq(UNKNOWN_ID)) }),
      new URLSearchParams({ extensions: JSON.stringify(apq(SERVICE_INFO_ID)), query: '{ __typename }' }),
      new URLSearchParams([
        ['query', '{ __typename }'],
        ['query', '{ __typename }'],
      ]),
      new URLSearchParams({ '%71uery': '{ __typename }' }),
    ].map((params) => params.toString());
    queries.push('%71uery=%7B%20__typename%20%7D');
    for (const query of queries) {
      for (const event of [
        httpApiEvent({ method: 'GET', query, headers: preflighted }),
        albEvent({ method: 'GET', query, headers: preflighted, forwardedFor: '192.0.2.92' }),
        albEvent({
          method: 'GET',
          query,
          headers: preflighted,
          forwardedFor: '192.0.2.92',
          multiValue: true,
        }),
      ]) {
        const res = await invoke(event);
        expect([query, res.statusCode >= 400, res.json?.data]).toEqual([query, true, undefined]);
      }
    }
    expect(signUps() - before).toBe(0);
  });
});

describe('the demo documents in production', () => {
  const demoIds = demoDocumentManifest().operations.map((operation) => operation.id);

  it('are never trusted by a production Lambda: an id of theirs is PERSISTED_DOCUMENT_NOT_FOUND', async () => {
    const invoke = lambda();
    for (const id of demoIds) {
      const res = await invoke(httpApiEvent({ body: JSON.stringify({ documentId: id }) }));
      expect(codeOf(res.json)).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
    }
    expect((await invoke(httpApiEvent({ method: 'GET', path: DOCUMENTS_PATH }))).statusCode).toBe(404);
  });

  it('are never trusted nor served by a production server, even when it is handed the demo page', async () => {
    const h = await startHarness({ env: { NODE_ENV: 'production' }, development: demoPage() });
    try {
      for (const id of demoIds)
        expect(codeOf((await h.graphql({ documentId: id })).body)).toBe('PERSISTED_DOCUMENT_NOT_FOUND');
      const manifest = await fetch(new URL(DOCUMENTS_PATH, h.url));
      expect(manifest.status).toBe(404);
    } finally {
      await h.close();
    }
  });
});

describe('malformed events and broken configuration on Lambda', () => {
  const MASKED = {
    errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }],
  };

  it('answers every malformed event with a masked 500, never by throwing', async () => {
    const invoke = lambda();
    const good = httpApiEvent({ body: resendBody(nextUser()) });
    const alb = albEvent({ multiValue: true, body: resendBody(nextUser()), forwardedFor: '192.0.2.93' });
    const events: unknown[] = [
      undefined,
      null,
      'event',
      42,
      [],
      {},
      { ...good, requestContext: undefined },
      { ...good, requestContext: { ...good.requestContext, http: undefined } },
      { ...good, rawPath: undefined },
      { ...good, body: 42 },
      { ...good, body: { query: '{ __typename }' } },
      { ...good, headers: { ...good.headers, 'content-type': 42 } },
      { ...good, headers: { ...good.headers, origin: ['https://app.example.com'] } },
      {
        ...good,
        requestContext: { ...good.requestContext, http: { ...good.requestContext.http, method: 7 } },
      },
      {
        ...good,
        requestContext: { ...good.requestContext, http: { ...good.requestContext.http, sourceIp: 7 } },
      },
      { ...alb, multiValueHeaders: { ...alb.multiValueHeaders, 'x-forwarded-for': '192.0.2.93' } },
      { ...alb, multiValueHeaders: { ...alb.multiValueHeaders, 'content-type': 'application/json' } },
      { ...alb, multiValueQueryStringParameters: { query: 'x' } },
      { ...alb, body: 42 },
      { ...alb, httpMethod: undefined },
    ];
    const before = resends();
    for (const event of events) {
      let res: LambdaAnswer | undefined;
      let thrown: unknown;
      try {
        res = await invoke(event);
      } catch (error) {
        thrown = error;
      }
      expect([event, thrown]).toEqual([event, undefined]);
      if (res && res.statusCode >= 500) expect([event, res.json]).toEqual([event, MASKED]);
      expect(res?.body ?? '').not.toMatch(/\n\s+at |TypeError|Cannot read/);
    }
    // Only the one with an Origin given as a list is otherwise well formed: it runs, with no CORS grant.
    expect(resends() - before).toBe(1);
  });

  it('answers a deeply nested body with an answer that tells nothing of the failure', async () => {
    const invoke = lambda();
    const deep = `${'['.repeat(30_000)}${']'.repeat(30_000)}`;
    const body = `{"query":${JSON.stringify(RESEND_CONFIRMATION_CODE)},"variables":{"input":{"username":${deep}}}}`;
    const res = await invoke(httpApiEvent({ body }));
    expect(res.statusCode).toBeLessThan(600);
    expect(res.body).not.toMatch(/\n\s+at |RangeError|Maximum call stack/);
  });

  it('with a broken configuration, answers every request with a masked 500 and never prints the secret', async () => {
    const printed: string[] = [];
    const spy = vi
      .spyOn(console, 'error')
      .mockImplementation((line: unknown) => void printed.push(String(line)));
    // Spaces are not allowed even in an emulator's secret.
    const secret = 'not a valid secret but surely private 1234567890';
    const dir = mkdtempSync(join(tmpdir(), 'lambda-stale-'));
    const stale = join(dir, 'manifest.json');
    const STALE = 'query Gone { noSuchField }';
    writeFileSync(stale, JSON.stringify({ [sha256(STALE)]: STALE }));
    try {
      for (const env of [
        { COGNITO_CLIENT_SECRET: secret },
        { TRUSTED_DOCUMENTS_FILE: stale },
        { TRUSTED_DOCUMENTS_FILE: join(dir, 'missing.json') },
        { LIMIT_RESEND_IP_PER_HOUR: 'lots' },
        { REDIS_URL: 'not a url' },
      ]) {
        const handler = createLambdaHandler({ ...baseEnv(), ...env });
        for (const event of [
          httpApiEvent({ body: resendBody(nextUser()) }),
          albEvent({ forwardedFor: '192.0.2.94' }),
        ]) {
          const res = await handler(event, { awsRequestId: 'broken' });
          everything.push(JSON.stringify(res));
          expect([env, res.statusCode, JSON.parse(res.body ?? '')]).toEqual([env, 500, MASKED]);
        }
      }
      expect(printed.join('\n')).not.toContain(secret);
      expect(printed.join('\n')).not.toContain(upstream.clientSecret);
      expect(printed.join('\n')).not.toMatch(/\n\s+at /);
    } finally {
      spy.mockRestore();
    }
  });

  it('never put the client secret in a response or a log line', () => {
    expect(everything.length).toBeGreaterThan(50);
    expect(everything.filter((text) => text.includes(upstream.clientSecret))).toEqual([]);
  });
});
