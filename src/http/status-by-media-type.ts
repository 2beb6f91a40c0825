// The status of Apollo Server's answer by the media type it is sent in, as the GraphQL-over-HTTP spec sets it.
// A request error of a well-formed request (the document did not parse or validate, no operation could be
// chosen, the variables did not coerce) is a 400 in application/graphql-response+json, where a client can
// trust a 4xx to come from the server, and a 200 in application/json, where it cannot: any proxy answers 4xx in
// application/json, and clients read a GraphQL response only from a 200. Apollo answers 400 in both; this
// changes only that case. Requests that are not well-formed (no query, variables that are not a map, a batch,
// CSRF prevention's refusals: BAD_REQUEST) keep their 400, and so do the gateway's own refusals, made before
// Apollo is asked.
import { ApolloServerErrorCode } from '@apollo/server/errors';

const REQUEST_ERROR_CODES = new Set<unknown>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  // Variable coercion: the only BAD_USER_INPUT that comes without `data` (a resolver's comes with it).
  ApolloServerErrorCode.BAD_USER_INPUT,
]);

/** The status to send Apollo's answer with, given the status Apollo chose, the answer's type and its body. */
export function statusByMediaType(status: number, contentType: string | undefined, body: string): number {
  if (status !== 400 || !isPlainJson(contentType)) return status;
  return isRequestErrorAnswer(body) ? 200 : status;
}

function isPlainJson(contentType: string | undefined): boolean {
  return contentType?.split(';', 1)[0]?.trim().toLowerCase() === 'application/json';
}

/** A GraphQL response without `data` whose every error is a request error of a well-formed request. */
function isRequestErrorAnswer(body: string): boolean {
  let answer: unknown;
  try {
    answer = JSON.parse(body);
  } catch {
    return false;
  }
  if (!isRecord(answer) || 'data' in answer || !Array.isArray(answer.errors)) return false;
  const { errors } = answer;
  return (
    errors.length > 0 &&
    errors.every((error) => isRecord(error) && REQUEST_ERROR_CODES.has(codeOf(error.extensions)))
  );
}

function codeOf(extensions: unknown): unknown {
  return isRecord(extensions) ? extensions.code : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
