// Lambda events as AWS sends them, shaped after the example events in the API Gateway developer guide
// (HTTP API, payload format 2.0) and the Elastic Load Balancing guide (Lambda targets), for tests that invoke
// the handler directly. Header names are lower case, as both services deliver them.
import type { ALBEvent, APIGatewayProxyEventV2 } from 'aws-lambda';

export interface EventOptions {
  method?: string;
  path?: string;
  /** Without `?`. */
  query?: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export function httpApiEvent(
  options: EventOptions & { sourceIp?: string; stage?: string } = {},
): APIGatewayProxyEventV2 {
  const method = options.method ?? 'POST';
  const stage = options.stage ?? '$default';
  const path = `${stage === '$default' ? '' : `/${stage}`}${options.path ?? '/graphql'}`;
  const sourceIp = options.sourceIp ?? '203.0.113.10';
  const query = options.query ?? '';
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: {
      accept: '*/*',
      host: 'abc123def4.execute-api.us-east-1.amazonaws.com',
      'user-agent': 'curl/8.5.0',
      'x-amzn-trace-id': 'Root=1-65a1b2c3-0123456789abcdef01234567',
      'x-forwarded-for': sourceIp,
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...(method === 'POST' && JSON_HEADERS),
      ...(options.body !== undefined && { 'content-length': String(Buffer.byteLength(options.body)) }),
      ...options.headers,
    },
    ...(query && { queryStringParameters: Object.fromEntries(new URLSearchParams(query)) }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123def4',
      domainName: 'abc123def4.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123def4',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp, userAgent: 'curl/8.5.0' },
      requestId: 'JKJaXmPLvHcESHA=',
      routeKey: '$default',
      stage,
      time: '12/Mar/2025:19:03:58 +0000',
      timeEpoch: 1741806238000,
    },
    ...(options.body !== undefined && { body: options.body }),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

export function albEvent(
  options: EventOptions & { multiValue?: boolean; forwardedFor?: string } = {},
): ALBEvent {
  const method = options.method ?? 'POST';
  const headers: Record<string, string> = {
    accept: '*/*',
    host: 'gateway-alb-123578498.us-east-1.elb.amazonaws.com',
    'user-agent': 'curl/8.5.0',
    'x-amzn-trace-id': 'Root=1-5c536348-3d683b8b04734faae651f476',
    ...(options.forwardedFor !== undefined && { 'x-forwarded-for': options.forwardedFor }),
    'x-forwarded-port': '443',
    'x-forwarded-proto': 'https',
    ...(method === 'POST' && JSON_HEADERS),
    ...(options.body !== undefined && { 'content-length': String(Buffer.byteLength(options.body)) }),
    ...options.headers,
  };
  const query = new URLSearchParams(options.query ?? '');
  return {
    requestContext: {
      elb: {
        targetGroupArn:
          'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/gateway/49e9d65c45c6791a',
      },
    },
    httpMethod: method,
    path: options.path ?? '/graphql',
    ...(options.multiValue
      ? {
          multiValueQueryStringParameters: Object.fromEntries(
            [...new Set(query.keys())].map((key) => [key, query.getAll(key).map(encodeURIComponent)]),
          ),
          multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
        }
      : {
          queryStringParameters: Object.fromEntries(
            [...query].map(([key, value]) => [key, encodeURIComponent(value)]),
          ),
          headers,
        }),
    body: options.body ?? '',
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

/** A GraphQL POST body. */
export function graphqlBody(query: string, variables?: Record<string, unknown>): string {
  return JSON.stringify({ query, ...(variables && { variables }) });
}
