// What the values the gateway is configured with look like, as Cognito and AWS accept them (and, against an
// emulator, what they must still be).
export const COGNITO_VARIABLES = [
  'COGNITO_REGION',
  'COGNITO_USER_POOL_ID',
  'COGNITO_CLIENT_ID',
  'COGNITO_CLIENT_SECRET',
  'COGNITO_CLIENT_SECRET_FILE',
  'COGNITO_ENDPOINT',
] as const;

export const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// Cognito's own API patterns and lengths (UserPoolId, ClientId, ClientSecret in its API reference).
export const USER_POOL_ID = /^(?=.{1,55}$)[\w-]+_[0-9a-zA-Z]+$/;
export const CLIENT_ID = /^[\w+]{1,128}$/;
export const CLIENT_SECRET = /^[\w+]{24,64}$/;
/** What an emulator's pool id or secret must still be: no whitespace or control characters, bounded. */
export const EMULATOR_VALUE = /^[^\s\p{Cc}]{1,512}$/u;
export const EMULATOR_RULE = 'no spaces or control characters; at most 512';
/** Every AWS partition's endpoint suffixes (standard and dual-stack), as the SDK's partitions list them. */
export const AWS_DNS_SUFFIXES = [
  'amazonaws.com',
  'api.aws',
  'amazonaws.com.cn',
  'api.amazonwebservices.com.cn',
  'amazonaws.eu',
  'api.amazonwebservices.eu',
  'c2s.ic.gov',
  'api.aws.ic.gov',
  'sc2s.sgov.gov',
  'api.aws.scloud',
  'cloud.adc-e.uk',
  'api.cloud-aws.adc-e.uk',
  'csp.hci.ic.gov',
  'api.aws.hci.ic.gov',
];
/** The region the SDK is given against an emulator when nothing names one (moto's and LocalStack's default). */
export const EMULATOR_DEFAULT_REGION = 'us-east-1';
export const HOSTNAME =
  /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** An HMAC-SHA256 key: at least as long as the hash (32), printable, bounded. */
export const CHALLENGE_KEY = /^[^\s\p{Cc}]{32,1024}$/u;
export const CHALLENGE_KEY_RULE = 'must be 32 to 1024 characters, without spaces or control characters';
/** The most PBKDF2 iterations a challenge may ask per try: checking one costs the gateway that much CPU. */
export const MAX_CHALLENGE_COST = 100_000;
/** The refresh-token cookie's name: the `__Host-` prefix (no Domain, Path=/, Secure) and a short token. */
export const SESSION_COOKIE_NAME = /^__Host-[A-Za-z0-9_-]{1,64}$/;
export const DEFAULT_SESSION_COOKIE_NAME = '__Host-cognito-refresh';
