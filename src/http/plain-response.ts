// The gateway's own answers, built once and sent by either transport adapter (node:http, Lambda): the response
// type of the request core, errors shaped like GraphQL errors, and the one 404 for every path not served.
import { ErrorCode } from '../errors';
import type { Logger } from '../logger';
import { BodyError } from './json-body';

/**
 * Response headers by lower-case name. A list stands for a header sent several times (Set-Cookie): each
 * adapter sends it in its transport's way (repeated lines, Lambda's `cookies`, ALB's multi-value headers).
 */
export type ResponseHeaders = Record<string, string | readonly string[]>;

/** A complete response, before a transport sends it; a GraphQL answer may come as a stream of chunks. */
export interface PlainResponse {
  status: number;
  headers: ResponseHeaders;
  body: string | AsyncIterable<string>;
}

/** An error as GraphQL clients read one: `{ errors: [{ message, extensions: { code } }] }`. */
export function errorResponse(status: number, message: string, code: ErrorCode): PlainResponse {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  return {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
    },
    body,
  };
}

/**
 * The answer to a request that failed outside GraphQL execution: a refused body as its error, anything else
 * logged in full and masked, never a stack trace.
 */
export function failureResponse(error: unknown, logger: Logger, requestId: string): PlainResponse {
  if (error instanceof BodyError) return errorResponse(error.status, error.message, ErrorCode.BAD_REQUEST);
  logger.error({ err: error, requestId }, 'request failed');
  return errorResponse(500, 'Internal server error', ErrorCode.INTERNAL_SERVER_ERROR);
}

/** The answer to every path a server does not serve: the same wherever it is given, so it tells nothing. */
export function notFound(): PlainResponse {
  return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' };
}
