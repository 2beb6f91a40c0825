// Reading what the AWS SDK throws, in one place and one style: the HTTP status, the socket errno and whether
// it is Cognito's modeled answer. The socket errnos are one set, split by what they say about the request:
// never connected (nothing was sent), or a connection failure that may have come after it was sent.
import { CognitoIdentityProviderServiceException } from '@aws-sdk/client-cognito-identity-provider';

/** Errnos for a connection that was never established: the request certainly never left this process. */
export const NEVER_CONNECTED: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Every socket-level failure, as Node reports it in `error.code`: the never-connected ones and those after. */
export const CONNECTION_ERRORS: ReadonlySet<string> = new Set([
  ...NEVER_CONNECTED,
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
]);

/** The HTTP status the SDK recorded, also on errors whose body it could not parse. */
export function httpStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
}

/** Node's errno code (`ECONNREFUSED`, ...) of a socket failure; undefined for anything else. */
export function errnoOf(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** True for Cognito's own answers (the SDK's modeled exceptions and unmodeled service errors). */
export function isServiceException(error: unknown): error is CognitoIdentityProviderServiceException {
  return error instanceof CognitoIdentityProviderServiceException;
}
