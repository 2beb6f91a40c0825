// Cognito service errors as the stand-in raises them. The wire layer turns one into the AWS JSON 1.1 error
// shape (`__type` + `message`, `x-amzn-ErrorType`) that the SDK maps back onto its modeled exception class.
export type CognitoErrorType =
  | 'AliasExistsException'
  | 'CodeMismatchException'
  | 'ExpiredCodeException'
  | 'InternalErrorException'
  | 'InvalidParameterException'
  | 'InvalidPasswordException'
  | 'LimitExceededException'
  | 'NotAuthorizedException'
  | 'PasswordResetRequiredException'
  | 'RefreshTokenReuseException'
  | 'ResourceNotFoundException'
  | 'SerializationException'
  | 'TooManyRequestsException'
  | 'UnauthorizedException'
  | 'UnknownOperationException'
  | 'UnsupportedOperationException'
  | 'UnsupportedTokenTypeException'
  | 'UserNotConfirmedException'
  | 'UserNotFoundException'
  | 'UsernameExistsException';

export class CognitoError extends Error {
  readonly type: CognitoErrorType;
  readonly status: number;

  constructor(type: CognitoErrorType, message: string) {
    super(message);
    this.name = type;
    this.type = type;
    this.status = type === 'InternalErrorException' ? 500 : 400;
  }
}

// Messages below are Cognito's own wording: the gateway may match on them, so they must not drift.

export function internalError(): CognitoError {
  return new CognitoError('InternalErrorException', 'Internal server error.');
}

export function rateExceeded(): CognitoError {
  return new CognitoError('TooManyRequestsException', 'Rate exceeded');
}

export function userNotFoundForClient(): CognitoError {
  return new CognitoError('UserNotFoundException', 'Username/client id combination not found.');
}

export function userDoesNotExist(): CognitoError {
  return new CognitoError('UserNotFoundException', 'User does not exist.');
}

export function codeMismatch(): CognitoError {
  return new CognitoError('CodeMismatchException', 'Invalid verification code provided, please try again.');
}

export function expiredCode(): CognitoError {
  return new CognitoError('ExpiredCodeException', 'Invalid code provided, please request a code again.');
}

export function cannotConfirm(status: string): CognitoError {
  return new CognitoError('NotAuthorizedException', `User cannot be confirmed. Current status is ${status}`);
}

export function attemptLimitExceeded(): CognitoError {
  return new CognitoError('LimitExceededException', 'Attempt limit exceeded, please try after some time.');
}

export function incorrectCredentials(): CognitoError {
  return new CognitoError('NotAuthorizedException', 'Incorrect username or password.');
}

export function userPoolNotFound(poolId: string): CognitoError {
  return new CognitoError('ResourceNotFoundException', `User pool ${poolId} does not exist.`);
}

export function aliasExists(attribute: string): CognitoError {
  return new CognitoError('AliasExistsException', `An account with the given ${attribute} already exists.`);
}

export function passwordAttemptsExceeded(): CognitoError {
  return new CognitoError('NotAuthorizedException', 'Password attempts exceeded');
}

export function missingParameter(name: string): CognitoError {
  return new CognitoError('InvalidParameterException', `Missing required parameter ${name}`);
}

export function invalidSession(): CognitoError {
  return new CognitoError('NotAuthorizedException', 'Invalid session for the user.');
}

export function sessionExpired(): CognitoError {
  return new CognitoError('NotAuthorizedException', 'Invalid session for the user, session is expired.');
}

export function sessionAlreadyUsed(): CognitoError {
  return new CognitoError(
    'NotAuthorizedException',
    'Invalid session for the user, session can only be used once.',
  );
}

// What a wrong sign-in code (MFA or one-time password) is answered with, unlike a wrong confirmation code.
export function signInCodeMismatch(): CognitoError {
  return new CognitoError('CodeMismatchException', 'Invalid code or auth state for the user.');
}

export function userNotConfirmed(): CognitoError {
  return new CognitoError('UserNotConfirmedException', 'User is not confirmed.');
}

export function passwordResetRequired(): CognitoError {
  return new CognitoError('PasswordResetRequiredException', 'Password reset required for the user');
}

export function invalidRefreshToken(): CognitoError {
  return new CognitoError('NotAuthorizedException', 'Invalid Refresh Token');
}
