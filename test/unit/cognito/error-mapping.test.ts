import { readFileSync } from 'node:fs';
import * as sdk from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { mapCognitoError } from '../../../src/cognito/error-mapping';
import { confirmForgotPasswordCall } from '../../../src/user-pool-calls/confirm-forgot-password/call';
import { confirmSignUpCall } from '../../../src/user-pool-calls/confirm-sign-up/call';
import { forgotPasswordCall } from '../../../src/user-pool-calls/forgot-password/call';
import { refreshTokensCall } from '../../../src/user-pool-calls/refresh-tokens/call';
import { resendConfirmationCodeCall } from '../../../src/user-pool-calls/resend-confirmation-code/call';
import { respondToSignInChallengeCall } from '../../../src/user-pool-calls/respond-to-sign-in-challenge/call';
import { signInCall } from '../../../src/user-pool-calls/sign-in/call';
import { signOutCall } from '../../../src/user-pool-calls/sign-out/call';
import { signUpCall } from '../../../src/user-pool-calls/sign-up/call';
import type { AnyUserPoolCall } from '../../../src/user-pool-calls/user-pool-call';

type ExceptionName = keyof typeof sdk & `${string}Exception`;

function exception(name: ExceptionName, message = 'upstream detail') {
  // biome-ignore lint/performance/noDynamicNamespaceImportAccess: a test looks exception classes up by name
  const Type = sdk[name] as unknown as new (opts: { message: string; $metadata: object }) => Error;
  return new Type({ message, $metadata: { httpStatusCode: 400, requestId: 'aws-req-1' } });
}

// The codes shared by every call, for exceptions that mean the same whatever the call.
const SHARED = {
  ResourceNotFoundException: 'INTERNAL_SERVER_ERROR',
  InvalidParameterException: 'INTERNAL_SERVER_ERROR',
  UnexpectedLambdaException: 'INTERNAL_SERVER_ERROR',
  UserLambdaValidationException: 'INTERNAL_SERVER_ERROR',
  NotAuthorizedException: 'NOT_AUTHORIZED',
  InvalidLambdaResponseException: 'INTERNAL_SERVER_ERROR',
  TooManyRequestsException: 'TOO_MANY_REQUESTS',
  LimitExceededException: 'LIMIT_EXCEEDED',
  InvalidSmsRoleAccessPolicyException: 'INTERNAL_SERVER_ERROR',
  InvalidSmsRoleTrustRelationshipException: 'INTERNAL_SERVER_ERROR',
  InvalidEmailRoleAccessPolicyException: 'INTERNAL_SERVER_ERROR',
  CodeDeliveryFailureException: 'CODE_DELIVERY_FAILED',
  UserNotFoundException: 'USER_NOT_FOUND',
  OperationNotEnabledException: 'INTERNAL_SERVER_ERROR',
  InternalErrorException: 'UPSTREAM_UNAVAILABLE',
  ForbiddenException: 'FORBIDDEN',
} as const satisfies Partial<Record<ExceptionName, string>>;

// Every exception in each call's API reference, with the code the gateway promises for that call.
const CALLS: ReadonlyArray<{
  call: AnyUserPoolCall;
  count: number;
  expected: Partial<Record<ExceptionName, string>>;
}> = [
  { call: resendConfirmationCodeCall, count: 16, expected: SHARED },
  {
    call: signUpCall,
    count: 17,
    expected: {
      ...SHARED,
      // At sign-up a bad parameter is the user's: a malformed email, a missing required attribute.
      InvalidParameterException: 'BAD_USER_INPUT',
      // The pre sign-up trigger refusing a user on purpose.
      UserLambdaValidationException: 'REJECTED_BY_TRIGGER',
      InvalidPasswordException: 'INVALID_PASSWORD',
      UsernameExistsException: 'USERNAME_EXISTS',
    },
  },
  {
    call: confirmSignUpCall,
    count: 16,
    expected: {
      ...SHARED,
      AliasExistsException: 'ALIAS_EXISTS',
      CodeMismatchException: 'CODE_MISMATCH',
      ExpiredCodeException: 'CODE_EXPIRED',
      TooManyFailedAttemptsException: 'LIMIT_EXCEEDED',
    },
  },
  // An InvalidParameterException saying the user has no verified destination is NO_RECOVERY_DESTINATION
  // (tested below); any other is a misconfiguration, as for every call.
  { call: forgotPasswordCall, count: 16, expected: SHARED },
  {
    call: confirmForgotPasswordCall,
    count: 18,
    expected: {
      ...SHARED,
      CodeMismatchException: 'CODE_MISMATCH',
      ExpiredCodeException: 'CODE_EXPIRED',
      InvalidPasswordException: 'INVALID_PASSWORD',
      PasswordHistoryPolicyViolationException: 'INVALID_PASSWORD',
      TooManyFailedAttemptsException: 'LIMIT_EXCEEDED',
      UserNotConfirmedException: 'USER_NOT_CONFIRMED',
    },
  },
  {
    call: signInCall,
    count: 19,
    expected: {
      ...SHARED,
      // A wrong password, an unknown user with PreventUserExistenceErrors, a disabled user: one answer.
      NotAuthorizedException: 'NOT_AUTHORIZED',
      PasswordResetRequiredException: 'PASSWORD_RESET_REQUIRED',
      UserNotConfirmedException: 'USER_NOT_CONFIRMED',
      FeatureUnavailableInTierException: 'INTERNAL_SERVER_ERROR',
      InvalidUserPoolConfigurationException: 'INTERNAL_SERVER_ERROR',
      UnsupportedOperationException: 'INTERNAL_SERVER_ERROR',
    },
  },
  {
    call: respondToSignInChallengeCall,
    count: 24,
    expected: {
      ...SHARED,
      AliasExistsException: 'ALIAS_EXISTS',
      CodeMismatchException: 'CODE_MISMATCH',
      ExpiredCodeException: 'CODE_EXPIRED',
      InvalidPasswordException: 'INVALID_PASSWORD',
      PasswordHistoryPolicyViolationException: 'INVALID_PASSWORD',
      PasswordResetRequiredException: 'PASSWORD_RESET_REQUIRED',
      UserNotConfirmedException: 'USER_NOT_CONFIRMED',
      MFAMethodNotFoundException: 'MFA_METHOD_NOT_FOUND',
      SoftwareTokenMFANotFoundException: 'MFA_METHOD_NOT_FOUND',
      InvalidUserPoolConfigurationException: 'INTERNAL_SERVER_ERROR',
    },
  },
  {
    call: refreshTokensCall,
    count: 12,
    expected: {
      ...SHARED,
      // The refresh token is revoked, expired, reused after a rotation, or its user is gone: sign in again.
      NotAuthorizedException: 'NOT_SIGNED_IN',
      RefreshTokenReuseException: 'NOT_SIGNED_IN',
      UserNotFoundException: 'NOT_SIGNED_IN',
    },
  },
  {
    call: signOutCall,
    count: 8,
    expected: {
      ...SHARED,
      UnauthorizedException: 'NOT_SIGNED_IN',
      UnsupportedTokenTypeException: 'NOT_SIGNED_IN',
      UnsupportedOperationException: 'INTERNAL_SERVER_ERROR',
    },
  },
];

function documentedExceptions(action: string): string[] {
  // The SDK's command typings list the API reference's exceptions as `@throws {@link Name}`.
  const typings = readFileSync(
    require.resolve(`@aws-sdk/client-cognito-identity-provider/dist-types/commands/${action}Command.d.ts`),
    'utf8',
  );
  return [...typings.matchAll(/@throws \{@link (\w+)\}/g)]
    .map((m) => m[1] ?? '')
    .filter((name) => name !== 'CognitoIdentityProviderServiceException');
}

describe.each(CALLS)('mapCognitoError for $call.action', ({ call, count, expected }) => {
  const documented = documentedExceptions(call.action);
  const cases = documented.map((name) => [name, expected[name as ExceptionName]] as const);

  it(`covers every exception the SDK documents for the call (${count})`, () => {
    expect(documented).toHaveLength(count);
    expect(cases.filter(([, code]) => code === undefined).map(([name]) => name)).toEqual([]);
  });

  it.each(cases)('maps %s to %s', (name, code) => {
    expect(mapCognitoError(exception(name as ExceptionName), call.mapError).code).toBe(code);
  });
});

describe('mapCognitoError', () => {
  it('maps forgotPassword\'s "no registered/verified email or phone_number" to NO_RECOVERY_DESTINATION', () => {
    const error = exception(
      'InvalidParameterException',
      'Cannot reset password for the user as there is no registered/verified email or phone_number',
    );
    expect(mapCognitoError(error, forgotPasswordCall.mapError).code).toBe('NO_RECOVERY_DESTINATION');
    expect(mapCognitoError(error).code).toBe('INTERNAL_SERVER_ERROR');
  });

  it.each([
    ['Incorrect username or password.', 'NOT_AUTHORIZED'],
    ['User is disabled.', 'NOT_AUTHORIZED'],
    ['Password attempts exceeded', 'LIMIT_EXCEEDED'],
    ['Invalid session for the user, session is expired.', 'SESSION_EXPIRED'],
    ['Unable to verify secret hash for client abc123', 'NOT_AUTHORIZED'],
  ])('maps a sign-in NotAuthorizedException "%s" to %s with a fixed message', (message, code) => {
    const mapped = mapCognitoError(exception('NotAuthorizedException', message), signInCall.mapError);
    expect(mapped.code).toBe(code);
    expect(mapped.message).not.toMatch(/disabled|secret hash|abc123|expired\./i);
  });

  it.each([
    "1 validation error detected: Value 'USER_AUTH' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set",
    'USER_AUTH flow not enabled for this client',
    'Initiate Auth method not supported',
  ])(
    'maps a sign-in flow the pool or emulator lacks ("%s") to a misconfiguration with a hint, not BAD_USER_INPUT',
    (message) => {
      const mapped = mapCognitoError(exception('InvalidParameterException', message), signInCall.mapError);
      expect(mapped).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', severity: 'error' });
      expect(mapped.hint).toMatch(/COGNITO_SIGN_IN_FLOW/);
    },
  );

  it('answers a wrong password and an unknown user (PreventUserExistenceErrors) alike', () => {
    const wrong = mapCognitoError(
      exception('NotAuthorizedException', 'Incorrect username or password.'),
      signInCall.mapError,
    );
    const disabled = mapCognitoError(
      exception('NotAuthorizedException', 'User is disabled.'),
      signInCall.mapError,
    );
    expect(disabled).toEqual(wrong);
  });

  it('maps ConfirmSignUp\'s "Current status is CONFIRMED" to ALREADY_CONFIRMED', () => {
    const error = exception(
      'NotAuthorizedException',
      'User cannot be confirmed. Current status is CONFIRMED',
    );
    expect(mapCognitoError(error, confirmSignUpCall.mapError).code).toBe('ALREADY_CONFIRMED');
  });

  it('maps a refused SecretHash to NOT_AUTHORIZED at error level, with a rotation hint for the operator', () => {
    const error = exception('NotAuthorizedException', 'Unable to verify secret hash for client abc123');
    expect(mapCognitoError(error)).toEqual({
      code: 'NOT_AUTHORIZED',
      message: 'Cognito did not authorize this request.',
      severity: 'error',
      hint: expect.stringContaining('may have been rotated or deleted'),
    });
    // Other refusals stay warnings: a wrong password is not the operator's problem.
    expect(
      mapCognitoError(exception('NotAuthorizedException', 'Incorrect username or password.')),
    ).toMatchObject({ code: 'NOT_AUTHORIZED', severity: 'warn' });
  });

  it('maps "User is already confirmed." to ALREADY_CONFIRMED', () => {
    expect(mapCognitoError(exception('InvalidParameterException', 'User is already confirmed.')).code).toBe(
      'ALREADY_CONFIRMED',
    );
  });

  it('never passes the upstream message to the client', () => {
    for (const name of Object.keys(SHARED) as ExceptionName[]) {
      expect(
        mapCognitoError(exception(name, 'Unable to verify secret hash for client x')).message,
      ).not.toMatch(/secret hash|client x/i);
    }
  });

  it('maps request timeouts to UPSTREAM_UNAVAILABLE', () => {
    const timeout = Object.assign(new Error('Request timed out'), { name: 'TimeoutError' });
    expect(mapCognitoError(timeout).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT'])(
    'maps the connection error %s to UPSTREAM_UNAVAILABLE',
    (errno) => {
      const error = Object.assign(new Error(`connect ${errno}`), { code: errno });
      expect(mapCognitoError(error).code).toBe('UPSTREAM_UNAVAILABLE');
    },
  );

  it('maps an unmodeled 5xx answer (e.g. an HTML error page) to UPSTREAM_UNAVAILABLE', () => {
    const error = new sdk.CognitoIdentityProviderServiceException({
      name: 'UnknownError',
      $fault: 'server',
      $metadata: { httpStatusCode: 502 },
      message: '<html>Bad gateway</html>',
    });
    expect(mapCognitoError(error).code).toBe('UPSTREAM_UNAVAILABLE');
  });

  it("maps Cognito's own field validation to BAD_USER_INPUT, not to a misconfiguration", () => {
    const error = exception(
      'InvalidParameterException',
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
    expect(mapCognitoError(error)).toMatchObject({ code: 'BAD_USER_INPUT', severity: 'info' });
  });

  it.each([
    [429, 'TOO_MANY_REQUESTS'],
    [403, 'FORBIDDEN'],
    [200, 'UPSTREAM_UNAVAILABLE'],
    [502, 'UPSTREAM_UNAVAILABLE'],
  ])('judges an unparseable answer with HTTP %i by its status: %s', (status, code) => {
    const error = Object.assign(new SyntaxError('Unexpected token < in JSON'), {
      $metadata: { httpStatusCode: status },
    });
    expect(mapCognitoError(error).code).toBe(code);
  });

  it('maps anything else to INTERNAL_SERVER_ERROR', () => {
    expect(mapCognitoError(new TypeError('bug')).code).toBe('INTERNAL_SERVER_ERROR');
    expect(mapCognitoError('a string').code).toBe('INTERNAL_SERVER_ERROR');
  });
});
