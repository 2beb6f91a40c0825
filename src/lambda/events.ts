// The two kinds of event the Lambda handler serves, API Gateway HTTP API (payload format 2.0) and an
// Application Load Balancer's, read into one request, and each request's answer shaped back for its kind.
// The client's address comes only from what AWS itself wrote: HTTP API's requestContext.http.sourceIp, or the
// last X-Forwarded-For entry, the one an ALB appends (entries before it are whatever the client sent).
import { STATUS_CODES } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type {
  ALBEvent,
  ALBResult,
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
} from 'aws-lambda';
import { canonicalIp } from '../http/client-ip';
import type { ResponseHeaders } from '../http/plain-response';

export type GatewayEvent = APIGatewayProxyEventV2 | ALBEvent;
export type GatewayResult = APIGatewayProxyStructuredResultV2 | ALBResult;

export interface LambdaRequest {
  method: string;
  /** The path as the gateway routes it: an HTTP API stage's name (other than $default) taken off. */
  path: string;
  headers: HeaderMap;
  /** The query string as the client sent it, without `?`. */
  query: string;
  /** The body's bytes, base64 decoded when the event says it is encoded. */
  body: Buffer;
  clientIp: string | undefined;
  /** The response in the form this event's sender expects. */
  answer(response: CompleteResponse): GatewayResult;
}

/** A response with its whole body: what a Lambda function returns (the request core's, once not a stream). */
export interface CompleteResponse {
  status: number;
  headers: ResponseHeaders;
  body: string;
}

/**
 * The request an event carries, or undefined for an event of another kind (REST API, payload 1.0, ...) or one
 * of a known kind whose fields do not have the types AWS gives them (a body that is not a string, ...).
 */
export function readRequest(event: unknown): LambdaRequest | undefined {
  try {
    if (isAlbEvent(event)) return readAlbEvent(event);
    if (isHttpApiEvent(event)) return readHttpApiEvent(event);
  } catch {
    // Malformed: answered as an event of no known kind, a masked 500.
  }
  return undefined;
}

function readHttpApiEvent(event: APIGatewayProxyEventV2): LambdaRequest {
  const headers = headerMap(Object.entries(event.headers ?? {}));
  // HTTP API takes the Cookie header apart into `cookies`; the core reads it as one header, as node:http gives it.
  if (event.cookies && event.cookies.length > 0) headers.set('cookie', event.cookies.join('; '));
  const { stage, http } = event.requestContext;
  const prefix = stage && stage !== '$default' ? `/${stage}` : '';
  const path =
    prefix && (event.rawPath === prefix || event.rawPath.startsWith(`${prefix}/`))
      ? event.rawPath.slice(prefix.length) || '/'
      : event.rawPath;
  return {
    method: http.method,
    path,
    headers,
    query: event.rawQueryString ?? '',
    body: bodyOf(event),
    clientIp: canonicalIp(http.sourceIp ?? ''),
    answer: answerHttpApi,
  };
}

/**
 * With the target group's multi-value headers on, an ALB sends every header and query parameter as a list and
 * expects the answer's headers as lists too; otherwise one value each.
 */
function readAlbEvent(event: ALBEvent): LambdaRequest {
  const multiValue = event.multiValueHeaders !== undefined;
  const headers = headerMap(
    multiValue
      ? Object.entries(event.multiValueHeaders ?? {}).map(([name, values]) => [
          name,
          // Several Cookie headers are one list of pairs; other headers' values join with commas.
          values?.join(name.toLowerCase() === 'cookie' ? '; ' : ', '),
        ])
      : Object.entries(event.headers ?? {}),
  );
  // ALB passes query parameters as the client encoded them: joined back, they are the raw query string that
  // the node:http server would see, and Apollo decodes them the same way.
  const query = event.multiValueQueryStringParameters
    ? Object.entries(event.multiValueQueryStringParameters).flatMap(([name, values]) =>
        (values ?? []).map((value) => `${name}=${value}`),
      )
    : Object.entries(event.queryStringParameters ?? {}).map(([name, value]) => `${name}=${value ?? ''}`);
  return {
    method: event.httpMethod,
    path: event.path,
    headers,
    query: query.join('&'),
    body: bodyOf(event),
    clientIp: lastForwardedFor(headers.get('x-forwarded-for')),
    answer: ({ status, headers, body }) => ({
      statusCode: status,
      statusDescription: `${status} ${STATUS_CODES[status] ?? ''}`.trim(),
      ...(multiValue
        ? {
            multiValueHeaders: Object.fromEntries(
              Object.entries(headers).map(([name, value]) => [
                name,
                typeof value === 'string' ? [value] : [...value],
              ]),
            ),
          }
        : { headers: singleValueHeaders(headers) }),
      body,
      isBase64Encoded: false,
    }),
  };
}

/**
 * HTTP API's answer (payload 2.0): one value per header, and every Set-Cookie in `cookies`, which API Gateway
 * sends as one header line each.
 */
export function answerHttpApi({
  status,
  headers,
  body,
}: CompleteResponse): APIGatewayProxyStructuredResultV2 {
  const { 'set-cookie': cookies, ...others } = headers;
  return {
    statusCode: status,
    headers: Object.fromEntries(
      Object.entries(others).map(([name, value]) => [
        name,
        typeof value === 'string' ? value : value.join(', '),
      ]),
    ),
    ...(cookies !== undefined && { cookies: typeof cookies === 'string' ? [cookies] : [...cookies] }),
    body,
    isBase64Encoded: false,
  };
}

/**
 * An ALB without multi-value headers takes one value per name: a list is joined, except Set-Cookie, whose
 * values cannot be joined (a date has a comma); the target group needs multi-value headers for several cookies.
 */
function singleValueHeaders(headers: ResponseHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : name === 'set-cookie' ? (value.at(-1) ?? '') : value.join(', '),
    ]),
  );
}

/**
 * The address an ALB appended to X-Forwarded-For: its last entry, in the load balancer's default `append`
 * mode (routing.http.xff_header_processing.mode). Any earlier entry came from the client and counts for nothing.
 */
export function lastForwardedFor(header: string | undefined): string | undefined {
  const last = header?.split(',').at(-1);
  return last === undefined ? undefined : canonicalIp(last);
}

function headerMap(entries: Array<[string, string | undefined]>): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of entries) if (value !== undefined) headers.set(name, value);
  return headers;
}

function bodyOf(event: { body?: string | null; isBase64Encoded?: boolean }): Buffer {
  if (!event.body) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

function isAlbEvent(event: unknown): event is ALBEvent {
  return isRecord(event) && isRecord(event.requestContext) && isRecord(event.requestContext.elb);
}

function isHttpApiEvent(event: unknown): event is APIGatewayProxyEventV2 {
  return (
    isRecord(event) &&
    event.version === '2.0' &&
    typeof event.rawPath === 'string' &&
    isRecord(event.requestContext) &&
    isRecord(event.requestContext.http)
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
