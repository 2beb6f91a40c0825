// Maps whatever a Cognito call throws onto the gateway's closed set of error codes, by `instanceof` on the
// SDK's modeled exception classes. Clients get a fixed message; the upstream detail is only logged.
import {
  AliasExistsException,
  CodeDeliveryFailureException,
  CodeMismatchException,
  ExpiredCodeException,
  ForbiddenException,
  InternalErrorException,
  InvalidEmailRoleAccessPolicyException,
  InvalidLambdaResponseException,
  InvalidParameterException,
  InvalidPasswordException,
  InvalidSmsRoleAccessPolicyException,
  InvalidSmsRoleTrustRelationshipException,
  LimitExceededException,
  NotAuthorizedException,
  OperationNotEnabledException,
  PasswordHistoryPolicyViolationException,
  ResourceNotFoundException,
  TooManyFailedAttemptsException,
  TooManyRequestsException,
  UnexpectedLambdaException,
  UserLambdaValidationException,
  UserNotConfirmedException,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { ErrorCode } from '../errors';
import { CONNECTION_ERRORS, errnoOf, httpStatusOf, isServiceException } from './sdk-errors';

export interface MappedError {
  code: ErrorCode;
  message: string;
  /** Misconfiguration and outages are errors for operators; user mistakes are not. */
  severity: 'info' | 'warn' | 'error';
  /** For the operator reading the log: what to check. Never sent to clients. */
  hint?: string;
}

type ExceptionClass = abstract new (...args: never[]) => Error;

const MISCONFIGURED: MappedError = {
  code: ErrorCode.INTERNAL_SERVER_ERROR,
  message: 'Internal server error',
  severity: 'error',
};
export const UNAVAILABLE: MappedError = {
  code: ErrorCode.UPSTREAM_UNAVAILABLE,
  message: 'Cognito is unavailable; try again shortly.',
  severity: 'error',
};
/**
 * Cognito refused the SecretHash: the gateway's secret is not (or no longer) one of the client's, which fails
 * every request. Clients see the usual NOT_AUTHORIZED; the operator gets an error and where to look.
 */
export const SECRET_HASH_REJECTED: MappedError = {
  code: ErrorCode.NOT_AUTHORIZED,
  message: 'Cognito did not authorize this request.',
  severity: 'error',
  hint:
    'the client secret may have been rotated or deleted in Cognito: check that COGNITO_CLIENT_SECRET_FILE holds ' +
    "one of the app client's active secrets (ListUserPoolClientSecrets) and gateway_client_secret_reloads_total",
};

const ALREADY_CONFIRMED: MappedError = {
  code: ErrorCode.ALREADY_CONFIRMED,
  message: 'This user is already confirmed.',
  severity: 'info',
};

/**
 * A pre sign-up trigger that throws is how a pool refuses a user on purpose (e.g. an email domain it does
 * not accept); its message is the pool owner's and may hold internals, so it is only logged. For the other
 * calls a throwing trigger is a bug in the pool, which the shared table treats as misconfiguration.
 */
export const REJECTED_BY_TRIGGER: MappedError = {
  code: ErrorCode.REJECTED_BY_TRIGGER,
  message: 'The user pool refused this request.',
  severity: 'warn',
};

export const REJECTED_INPUT: MappedError = {
  code: ErrorCode.BAD_USER_INPUT,
  message: 'Cognito refused the input as invalid.',
  severity: 'info',
};
const ATTEMPT_LIMIT: MappedError = {
  code: ErrorCode.LIMIT_EXCEEDED,
  message: 'Attempt limit exceeded; try again later.',
  severity: 'info',
};
const THROTTLED: MappedError = {
  code: ErrorCode.TOO_MANY_REQUESTS,
  message: 'Too many requests; try again shortly.',
  severity: 'warn',
};
const BLOCKED: MappedError = {
  code: ErrorCode.FORBIDDEN,
  message: 'The request was blocked.',
  severity: 'warn',
};

const TABLE: ReadonlyArray<readonly [ExceptionClass, MappedError]> = [
  [UserNotFoundException, { code: ErrorCode.USER_NOT_FOUND, message: 'User not found.', severity: 'info' }],
  [
    CodeDeliveryFailureException,
    { code: ErrorCode.CODE_DELIVERY_FAILED, message: 'The code could not be delivered.', severity: 'warn' },
  ],
  [LimitExceededException, ATTEMPT_LIMIT],
  [TooManyFailedAttemptsException, ATTEMPT_LIMIT],
  [
    UsernameExistsException,
    { code: ErrorCode.USERNAME_EXISTS, message: 'This username is taken.', severity: 'info' },
  ],
  [
    InvalidPasswordException,
    {
      code: ErrorCode.INVALID_PASSWORD,
      message: "The password does not meet the pool's password policy.",
      severity: 'info',
    },
  ],
  [
    // The password was used before, and the pool's password history forbids it again.
    PasswordHistoryPolicyViolationException,
    {
      code: ErrorCode.INVALID_PASSWORD,
      message: "The password does not meet the pool's password policy.",
      severity: 'info',
    },
  ],
  [
    // A password reset for a user who never confirmed their sign-up: the frontend offers a code resend.
    UserNotConfirmedException,
    {
      code: ErrorCode.USER_NOT_CONFIRMED,
      message: 'This user has not confirmed their sign-up yet.',
      severity: 'info',
    },
  ],
  [
    CodeMismatchException,
    { code: ErrorCode.CODE_MISMATCH, message: 'The code is not right.', severity: 'info' },
  ],
  [
    ExpiredCodeException,
    { code: ErrorCode.CODE_EXPIRED, message: 'The code has expired; request a new one.', severity: 'info' },
  ],
  [
    AliasExistsException,
    {
      code: ErrorCode.ALIAS_EXISTS,
      message: 'Another user already has this email or phone number.',
      severity: 'info',
    },
  ],
  [TooManyRequestsException, THROTTLED],
  [
    NotAuthorizedException,
    { code: ErrorCode.NOT_AUTHORIZED, message: 'Cognito did not authorize this request.', severity: 'warn' },
  ],
  [ForbiddenException, BLOCKED],
  [InternalErrorException, UNAVAILABLE],
  [ResourceNotFoundException, MISCONFIGURED],
  [OperationNotEnabledException, MISCONFIGURED],
  [UnexpectedLambdaException, MISCONFIGURED],
  [UserLambdaValidationException, MISCONFIGURED],
  [InvalidLambdaResponseException, MISCONFIGURED],
  [InvalidSmsRoleAccessPolicyException, MISCONFIGURED],
  [InvalidSmsRoleTrustRelationshipException, MISCONFIGURED],
  [InvalidEmailRoleAccessPolicyException, MISCONFIGURED],
];

/** `override` is a call's own reading of its exceptions, consulted first. */
export function mapCognitoError(
  error: unknown,
  override?: (error: unknown) => MappedError | undefined,
): MappedError {
  const own = override?.(error);
  if (own) return own;
  if (error instanceof InvalidParameterException) {
    // Cognito reports a confirmed user as a bad parameter, and its own field validation ("1 validation error
    // detected: ...") as one too; other bad parameters mean a misconfigured pool (e.g. auto-verification off).
    if (error.message === 'User is already confirmed.') return ALREADY_CONFIRMED;
    return /^\d+ validation errors? detected/.test(error.message) ? REJECTED_INPUT : MISCONFIGURED;
  }
  // ConfirmSignUp reports a user who is confirmed already this way.
  if (error instanceof NotAuthorizedException && /Current status is CONFIRMED/.test(error.message)) {
    return ALREADY_CONFIRMED;
  }
  if (error instanceof NotAuthorizedException && /^Unable to verify secret hash/.test(error.message)) {
    return SECRET_HASH_REJECTED;
  }
  for (const [type, mapped] of TABLE) {
    if (error instanceof type) return mapped;
  }
  if (isServiceException(error)) {
    return error.$fault === 'server' || (httpStatusOf(error) ?? 0) >= 500 ? UNAVAILABLE : MISCONFIGURED;
  }
  if (error instanceof Error) {
    const code = errnoOf(error);
    if (error.name === 'TimeoutError' || (code !== undefined && CONNECTION_ERRORS.has(code)))
      return UNAVAILABLE;
    // An answer the SDK could not parse (an HTML page from a load balancer or WAF, a truncated body) carries
    // the HTTP status; judge by that.
    const status = httpStatusOf(error);
    if (status === 429) return THROTTLED;
    if (status === 403) return BLOCKED;
    if (status !== undefined) return UNAVAILABLE;
  }
  return MISCONFIGURED;
}

/** What is worth logging about an upstream failure: no request data, so no SecretHash or secret. */
export function describeUpstreamError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const meta = (error as { $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number } })
    .$metadata;
  return {
    name: error.name,
    message: error.message,
    ...(errnoOf(error) && { errno: errnoOf(error) }),
    ...(meta && {
      httpStatusCode: meta.httpStatusCode,
      awsRequestId: meta.requestId,
      attempts: meta.attempts,
    }),
  };
}
