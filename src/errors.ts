// The closed set of error codes that clients see, the gateway's own error class, and which errors are
// unexpected (bugs, masked and logged in full). How an error is shaped in a response is graphql/format-error.ts.
import { ApolloServerErrorCode, unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';

export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  BAD_REQUEST: 'BAD_REQUEST',
  USER_NOT_FOUND: 'USER_NOT_FOUND',
  USERNAME_EXISTS: 'USERNAME_EXISTS',
  INVALID_PASSWORD: 'INVALID_PASSWORD',
  CODE_MISMATCH: 'CODE_MISMATCH',
  CODE_EXPIRED: 'CODE_EXPIRED',
  ALIAS_EXISTS: 'ALIAS_EXISTS',
  ALREADY_CONFIRMED: 'ALREADY_CONFIRMED',
  USER_NOT_CONFIRMED: 'USER_NOT_CONFIRMED',
  PASSWORD_RESET_REQUIRED: 'PASSWORD_RESET_REQUIRED',
  SESSION_EXPIRED: 'SESSION_EXPIRED',
  MFA_METHOD_NOT_FOUND: 'MFA_METHOD_NOT_FOUND',
  NOT_SIGNED_IN: 'NOT_SIGNED_IN',
  NO_RECOVERY_DESTINATION: 'NO_RECOVERY_DESTINATION',
  PHONE_NUMBER_NOT_ALLOWED: 'PHONE_NUMBER_NOT_ALLOWED',
  REJECTED_BY_TRIGGER: 'REJECTED_BY_TRIGGER',
  CODE_DELIVERY_FAILED: 'CODE_DELIVERY_FAILED',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
  RATE_LIMITED: 'RATE_LIMITED',
  NOT_AUTHORIZED: 'NOT_AUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  CHALLENGE_REQUIRED: 'CHALLENGE_REQUIRED',
  CHALLENGE_FAILED: 'CHALLENGE_FAILED',
  PERSISTED_DOCUMENT_REQUIRED: 'PERSISTED_DOCUMENT_REQUIRED',
  PERSISTED_DOCUMENT_NOT_FOUND: 'PERSISTED_DOCUMENT_NOT_FOUND',
  UPSTREAM_UNAVAILABLE: 'UPSTREAM_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes that Apollo Server itself produces for malformed operations; they carry no internals. */
const APOLLO_CODES = new Set<string>([
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
]);
/** An error the gateway raised on purpose, with a fixed message; it was logged where it arose. */
export class GatewayError extends GraphQLError {
  override readonly name = 'GatewayError';
}

export function gatewayError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GatewayError {
  return new GatewayError(message, { extensions: { ...extensions, code } });
}

/** The `extensions.code` an error carries (ours, Apollo's), or undefined. */
export function errorCodeOf(error: unknown): string | undefined {
  const code = (error as { extensions?: { code?: unknown } } | null)?.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * True for errors that no code of ours raised on purpose (bugs, library failures, a library's own
 * INTERNAL_SERVER_ERROR): formatError masks them and they are logged in full.
 */
export function isUnexpectedError(error: unknown): boolean {
  const original = unwrapResolverError(error);
  if (original instanceof GatewayError) return false;
  if (!(original instanceof GraphQLError)) return true;
  const code = original.extensions.code;
  return typeof code !== 'string' || !APOLLO_CODES.has(code);
}
