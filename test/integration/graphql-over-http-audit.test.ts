// The GraphQL-over-HTTP audit of the graphql-http package (serverAudits), run against each way a request reaches
// the gateway: the node:http server over real HTTP, and the Lambda handler invoked with the API Gateway HTTP API
// (payload 2.0) and ALB events that the audit's requests would become. Every MUST and SHOULD passes; a MAY may
// stay a notice only if it is listed in KNOWN_NOTICES with the reason.
//
// Both run as production does, with introspection on: the audit's own queries ask for `__type`, the one field
// every schema has. Without a trusted-documents manifest: with one, only documents by id run, and every audit
// query would be refused by design (PERSISTED_DOCUMENT_REQUIRED).
import { ApolloClient, CombinedGraphQLErrors, gql, HttpLink, InMemoryCache } from '@apollo/client';
import type { ALBResult, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type Audit, serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaHandler, type GatewayEvent } from '../../src/lambda/lambda-handler';
import type { LocalCognito } from '../../src/local-cognito';
import { type Harness, startHarness } from '../support/gateway-harness';
import { albEvent, httpApiEvent } from '../support/lambda-events';
import { lambdaEnv, startLambdaUpstream } from '../support/lambda-harness';

const AUDIT_ENV = { NODE_ENV: 'production', INTROSPECTION: 'true' };

/**
 * The MAY audits the gateway does not meet, on purpose. All three are GETs without a header that forces a CORS
 * preflight: Apollo's CSRF prevention refuses them (400), since a page of any origin could send them from a
 * browser. Clients that query over GET send `apollo-require-preflight` or `x-apollo-operation-name`
 * (docs/api.md).
 */
const KNOWN_NOTICES: ReadonlyMap<string, string> = new Map([
  ['5A70', 'GET without a preflight header: refused by CSRF prevention'],
  ['D6D5', 'GET without a preflight header: refused by CSRF prevention'],
  ['6A70', 'GET without a preflight header: refused by CSRF prevention'],
]);

type FetchFn = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One `it` per audit, named by its id and name: an audit passes, or is a notice listed in KNOWN_NOTICES. */
function itPassesEvery(audits: Audit[]): void {
  for (const audit of audits) {
    it(`${audit.id}: ${audit.name}`, async () => {
      const result = await audit.fn();
      const outcome = result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`;
      const known = KNOWN_NOTICES.get(audit.id);
      if (known === undefined) expect(outcome).toBe('ok');
      else expect(outcome.startsWith('notice:'), `${known}; got ${outcome}`).toBe(true);
    });
  }
}

describe('the node:http server over real HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: AUDIT_ENV });
  });
  afterAll(() => h.close());

  itPassesEvery(serverAudits({ url: () => h.url }));

  // graphql-request 7 sends the same Accept by default, so it meets the same 400; a client that accepts only
  // application/json now reads the errors of a 200 (before, Apollo Client saw a ServerError and graphql-request
  // a ClientError with the status alone).
  it('leaves Apollo Client 4 reading a validation failure as the same GraphQL error, 400 by default and 200 when it accepts only application/json', async () => {
    const seen: Array<[number, string | null, string]> = [];
    for (const headers of [{}, { accept: 'application/json' }] as Record<string, string>[]) {
      const fetchFn: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        seen.push([
          res.status,
          res.headers.get('content-type'),
          new Headers(init?.headers).get('accept') ?? '',
        ]);
        return res;
      };
      const client = new ApolloClient({
        link: new HttpLink({ uri: h.url, headers, fetch: fetchFn }),
        cache: new InMemoryCache(),
      });
      const error = await client
        .query({ query: gql`query Unknown { noSuchField }`, fetchPolicy: 'no-cache' })
        .then(
          () => undefined,
          (reason: unknown) => reason,
        );
      client.stop();
      expect(CombinedGraphQLErrors.is(error), String(error)).toBe(true);
      expect((error as CombinedGraphQLErrors).errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    expect(seen).toEqual([
      [
        400,
        'application/graphql-response+json; charset=utf-8',
        'application/graphql-response+json,application/json;q=0.9',
      ],
      [200, 'application/json; charset=utf-8', 'application/json'],
    ]);
  });
});

/** A request as the audit's fetch would send it: the client's headers only, as `fetch` would set them. */
interface SentRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string | undefined;
}

async function sentRequest(input: string | URL | Request, init?: RequestInit): Promise<SentRequest> {
  // A Request adds what fetch adds to a string body (content-type text/plain), so the event carries it too.
  const request = new Request(input, init);
  const url = new URL(request.url);
  const body = request.body === null ? undefined : await request.text();
  return {
    method: request.method,
    path: url.pathname,
    query: url.search.slice(1),
    headers: {
      ...Object.fromEntries(request.headers),
      ...(body !== undefined && { 'content-length': String(Buffer.byteLength(body)) }),
    },
    body,
  };
}

function eventOptions({ method, path, query, body }: SentRequest) {
  return { method, path, query, ...(body !== undefined && { body }) };
}

/** The headers that AWS adds (host, X-Forwarded-*), without the helpers' defaults for the client's own. */
function awsHeaders(headers: Record<string, string | undefined> | undefined): Record<string, string> {
  const { accept: _a, 'content-type': _t, 'content-length': _l, ...added } = headers ?? {};
  return Object.fromEntries(
    Object.entries(added).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function responseOf(result: APIGatewayProxyStructuredResultV2 | ALBResult): Response {
  const status = result.statusCode ?? 200;
  const headers = new Headers();
  for (const [name, value] of Object.entries(result.headers ?? {})) headers.set(name, String(value));
  const text = Buffer.from(result.body ?? '', result.isBase64Encoded ? 'base64' : 'utf8');
  return new Response([204, 304].includes(status) ? null : text, { status, headers });
}

describe('the Lambda handler', () => {
  let standIn: LocalCognito;
  let invocations = 0;
  let invoke: (event: GatewayEvent) => Promise<Response>;
  beforeAll(async () => {
    const started = await startLambdaUpstream();
    standIn = started.standIn;
    const handler = createLambdaHandler(
      { ...lambdaEnv(started.upstream), ...AUDIT_ENV },
      { logDestination: { write: () => {} } },
    );
    invoke = async (event) => {
      invocations += 1;
      return responseOf(await handler(event, { awsRequestId: `audit-${invocations}` }));
    };
  });
  afterAll(() => standIn.close());

  describe('behind API Gateway HTTP API (payload 2.0)', () => {
    const fetchFn: FetchFn = async (input, init) => {
      const sent = await sentRequest(input, init);
      const event = httpApiEvent(eventOptions(sent));
      return invoke({ ...event, headers: { ...awsHeaders(event.headers), ...sent.headers } });
    };
    itPassesEvery(
      serverAudits({ url: 'https://abc123def4.execute-api.us-east-1.amazonaws.com/graphql', fetchFn }),
    );
  });

  describe('behind an ALB', () => {
    const fetchFn: FetchFn = async (input, init) => {
      const sent = await sentRequest(input, init);
      const event = albEvent({ ...eventOptions(sent), forwardedFor: '203.0.113.10' });
      return invoke({ ...event, headers: { ...awsHeaders(event.headers), ...sent.headers } });
    };
    itPassesEvery(
      serverAudits({ url: 'https://gateway-alb-123578498.us-east-1.elb.amazonaws.com/graphql', fetchFn }),
    );
  });
});
