// The request core is the one router of both transports: a route or a header it gives reaches the node:http
// server and the Lambda handler (HTTP API and ALB events) unchanged. The core here is built with a small
// schema and a route that sets two cookies, both given through its public options; every request is put to
// the core directly, through the node:http adapter over real HTTP, and through the Lambda adapter, and the
// answers must be the same: status, headers (transport framing aside), body.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import type { ALBResult, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContextFactory, type GatewayContext } from '../../src/http/context';
import type { PlainResponse } from '../../src/http/plain-response';
import { createRequestCore, type RequestCore, type Route } from '../../src/http/request-core';
import { createEventHandler, type GatewayHandler } from '../../src/lambda/lambda-adapter';
import { createHttpHandler } from '../../src/node-server/http-adapter';
import { albEvent, httpApiEvent } from '../support/lambda-events';

const ORIGIN = 'https://app.example.com';
const BODY_LIMIT = 1024;
const HELLO = '{ hello }';
const HELLO_ID = createHash('sha256').update(HELLO).digest('hex');
const COOKIES = ['a=1; Path=/; HttpOnly', 'b=2; Path=/; Expires=Wed, 21 Oct 2037 07:28:00 GMT'];
/** Headers that belong to a connection, not to an answer: each transport sets its own. */
const FRAMING = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

interface Sent {
  name: string;
  method: string;
  path: string;
  query?: string;
  headers: Record<string, string>;
  body?: string;
}

/** What a client sees of an answer: header values as lists, by lower-case name. */
interface Seen {
  status: number;
  headers: Record<string, string[]>;
  body: string;
}

const json = { 'content-type': 'application/json', accept: 'application/json' };
const REQUESTS: Sent[] = [
  {
    name: 'a trusted document by id, from an allowed origin',
    method: 'POST',
    path: '/graphql',
    headers: { ...json, origin: ORIGIN },
    body: JSON.stringify({ documentId: `sha256:${HELLO_ID}` }),
  },
  {
    name: 'a CORS preflight',
    method: 'OPTIONS',
    path: '/graphql',
    headers: {
      origin: ORIGIN,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    },
  },
  { name: 'a path not served', method: 'GET', path: '/nowhere', headers: {} },
  {
    name: 'a body past the limit',
    method: 'POST',
    path: '/graphql',
    headers: { ...json, origin: ORIGIN },
    body: JSON.stringify({ query: HELLO, padding: 'x'.repeat(BODY_LIMIT) }),
  },
  {
    name: 'a full query where only trusted documents run',
    method: 'POST',
    path: '/graphql',
    headers: json,
    body: JSON.stringify({ query: HELLO }),
  },
  { name: 'a route that sets two cookies', method: 'GET', path: '/cookies', headers: {} },
];

let core: RequestCore;
let server: Server;
let baseUrl: string;
let lambda: GatewayHandler;
let apollo: ApolloServer<GatewayContext>;

beforeAll(async () => {
  const logger = pino({ level: 'silent' });
  apollo = new ApolloServer<GatewayContext>({
    typeDefs: 'type Query { hello: String }',
    resolvers: { Query: { hello: () => 'world' } },
  });
  await apollo.start();
  const cookies: Route = async () => ({
    status: 200,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'set-cookie': COOKIES },
    body: 'two cookies',
  });
  core = createRequestCore({
    apollo,
    contextOf: createContextFactory({ logger, analyticsEnabled: false, session: undefined }),
    allowedOrigins: new Set([ORIGIN]),
    bodyLimitBytes: BODY_LIMIT,
    logger,
    persistedDocuments: { lookup: (id) => (id === HELLO_ID ? HELLO : undefined) },
    trustedDocumentsEnforced: true,
    routes: new Map([['/cookies', cookies]]),
  });
  // The proxy's request id is kept from a trusted peer: every transport then answers with the same one.
  server = createServer(createHttpHandler({ core, trust: () => true }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  lambda = createEventHandler(Promise.resolve({ core, logger }));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await apollo.stop();
});

const requestId = (sent: Sent) => `parity-${sent.name.replaceAll(' ', '-').replaceAll(',', '')}`;

function seen(status: number, entries: Array<[string, string]>, body: string): Seen {
  const headers: Record<string, string[]> = {};
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    if (FRAMING.has(key)) continue;
    headers[key] = [...(headers[key] ?? []), value];
  }
  return { status, headers: Object.fromEntries(Object.entries(headers).sort()), body };
}

async function throughCore(sent: Sent): Promise<Seen> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(sent.headers)) headers.set(name, value);
  if (sent.body !== undefined) headers.set('content-length', String(Buffer.byteLength(sent.body)));
  const response: PlainResponse = await core({
    method: sent.method,
    path: sent.path,
    query: sent.query ?? '',
    headers,
    readBody: async () => Buffer.from(sent.body ?? ''),
    clientIp: '203.0.113.10',
    requestId: requestId(sent),
  });
  const entries = Object.entries(response.headers).flatMap(([name, value]) =>
    typeof value === 'string'
      ? [[name, value] as [string, string]]
      : value.map((v) => [name, v] as [string, string]),
  );
  return seen(response.status, entries, typeof response.body === 'string' ? response.body : '(stream)');
}

async function throughNode(sent: Sent): Promise<Seen> {
  const response = await fetch(`${baseUrl}${sent.path}${sent.query ? `?${sent.query}` : ''}`, {
    method: sent.method,
    headers: { ...sent.headers, 'x-request-id': requestId(sent) },
    ...(sent.body !== undefined && { body: sent.body }),
  });
  const entries: Array<[string, string]> = [];
  for (const [name, value] of response.headers) if (name !== 'set-cookie') entries.push([name, value]);
  for (const cookie of response.headers.getSetCookie()) entries.push(['set-cookie', cookie]);
  return seen(response.status, entries, await response.text());
}

async function throughHttpApi(sent: Sent): Promise<Seen> {
  const event = httpApiEvent({
    method: sent.method,
    path: sent.path,
    query: sent.query ?? '',
    headers: sent.headers,
    ...(sent.body !== undefined && { body: sent.body }),
  });
  const result = (await lambda(event, {
    awsRequestId: requestId(sent),
  })) as APIGatewayProxyStructuredResultV2;
  const entries = Object.entries(result.headers ?? {}).map(([k, v]) => [k, String(v)] as [string, string]);
  for (const cookie of result.cookies ?? []) entries.push(['set-cookie', cookie]);
  return seen(result.statusCode ?? 200, entries, result.body ?? '');
}

async function throughAlb(sent: Sent): Promise<Seen> {
  const event = albEvent({
    method: sent.method,
    path: sent.path,
    query: sent.query ?? '',
    headers: sent.headers,
    multiValue: true,
    forwardedFor: '203.0.113.10',
    ...(sent.body !== undefined && { body: sent.body }),
  });
  const result = (await lambda(event, { awsRequestId: requestId(sent) })) as ALBResult;
  const entries = Object.entries(result.multiValueHeaders ?? {}).flatMap(([k, values]) =>
    values.map((v) => [k, String(v)] as [string, string]),
  );
  return seen(result.statusCode, entries, result.body ?? '');
}

describe('the request core behind both transports', () => {
  it.each(REQUESTS)('answers $name the same through the core, node:http, HTTP API and ALB', async (sent) => {
    const fromCore = await throughCore(sent);
    expect(await throughNode(sent)).toEqual(fromCore);
    expect(await throughHttpApi(sent)).toEqual(fromCore);
    expect(await throughAlb(sent)).toEqual(fromCore);
  });

  it('answers each request as the core decides (so that the agreement above is not of empty answers)', async () => {
    const answers = await Promise.all(REQUESTS.map(throughCore));
    expect(answers.map(({ status }) => status)).toEqual([200, 204, 404, 413, 400, 200]);
    const [byId, preflight, , tooLarge, refused, cookies] = answers;
    expect(JSON.parse(byId?.body ?? '')).toEqual({ data: { hello: 'world' } });
    expect(byId?.headers['access-control-allow-origin']).toEqual([ORIGIN]);
    expect(preflight?.headers['access-control-allow-methods']).toEqual(['GET,POST,OPTIONS']);
    expect(preflight?.headers['access-control-allow-headers']).toEqual(['content-type']);
    expect(tooLarge?.headers['access-control-allow-origin']).toEqual([ORIGIN]);
    expect(JSON.parse(refused?.body ?? '').errors[0].extensions.code).toBe('PERSISTED_DOCUMENT_REQUIRED');
    expect(cookies?.headers['set-cookie']).toEqual(COOKIES);
    for (const [index, answer] of answers.entries()) {
      expect(answer.headers['x-request-id']).toEqual([requestId(REQUESTS[index] as Sent)]);
    }
  });
});
