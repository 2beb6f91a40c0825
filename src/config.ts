// Reads process.env once, validates every variable and returns a typed configuration. A bad value stops
// start-up with one message naming each offending variable; values are never echoed (some are secrets).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { parseTrustedDocumentManifest } from './graphql/trusted-document-manifest';
import {
  type CallLimits,
  type LimitColumn,
  type LimitSettings,
  type LimitValues,
  limitValues,
  MAX_PER_HOUR,
  settingVariables,
} from './limits/limit-settings';
import type { Logger } from './logger';
import { Secret } from './secret';
import { NUMBER_TYPES, PHONE_COUNTRIES, type PhonePolicySettings } from './spend-guard/phone-policy';

export type TrustProxy =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number }
  | { kind: 'addresses'; addresses: string[] };

export interface CognitoSettings {
  region: string;
  userPoolId?: string;
  clientId: string;
  clientSecret?: Secret;
  /** Where clientSecret was read from: watched and re-read on SIGHUP, so a rotated secret needs no restart. */
  clientSecretFile?: string;
  endpoint?: string;
}

export interface Config {
  nodeEnv: string;
  isProduction: boolean;
  port: number;
  host: string;
  /**
   * Where /metrics, /readyz and /healthz are served instead of the public port (OPS_PORT, OPS_HOST); undefined:
   * on the public port, beside /graphql.
   */
  ops?: { port: number; host: string };
  /**
   * `local` starts the embedded Cognito stand-in (development only). `nonAwsEndpoint`: COGNITO_ENDPOINT names
   * a host outside AWS (an emulator), so the pool id and the secret were checked only loosely.
   */
  cognito: { mode: 'local'; port: number } | ({ mode: 'remote'; nonAwsEndpoint: boolean } & CognitoSettings);
  upstream: { connectTimeoutMs: number; requestTimeoutMs: number; maxAttempts: number; maxInFlight: number };
  trustProxy: TrustProxy;
  sendUserContextIp: boolean;
  analyticsEnabled: boolean;
  corsOrigins: string[];
  introspection: boolean;
  logLevel: string;
  shutdownTimeoutMs: number;
  /** How long /readyz answers 503 while everything is still served, before the listener closes. */
  shutdownDrainDelayMs: number;
  /** What one client may hold of the HTTP server: time to send a request, idle time, connections. */
  http: {
    headersTimeoutMs: number;
    requestTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxConnections: number;
    /** Open connections per direct peer (0: off); applied only when no proxy is trusted. */
    maxConnectionsPerPeer: number;
  };
  /** The abuse limits: each call's own, then what the calls share. */
  limits: {
    /** Each call's own limits (declared in its folder's limits.ts), under its operation name. */
    calls: Readonly<Record<string, LimitValues<LimitSettings>>>;
    /** Codes to one email address or phone number per hour, across calls, usernames and IPs. */
    destinationPerHour: number;
    /** Send budgets, whatever the IPs and usernames: SMS per destination country, SMS and email in total. */
    smsPerCountryPerHour: number;
    smsPerHour: number;
    emailPerHour: number;
    /** Codes an hour, in all, for identifiers whose destination the gateway does not know (resends). */
    unknownDestinationPerHour: number;
    /** How long a user's destination links are kept after the last code sent to them. */
    linkRetentionSeconds: number;
    usernameCaseSensitive: boolean;
    ipv6PrefixBits: number;
    redisUrl?: string;
    /** The most the in-memory counters and links (Redis's shadow too) may take, in MB; unset: the store's default. */
    memoryMaxMb?: number;
  };
  /** Which phone numbers may receive codes. */
  phonePolicy: PhonePolicySettings;
  /** What the gateway knows of the pool's users, for the spend guard's destination links. */
  pool: PoolSettings;
  graphql: { maxAliases: number; maxDepth: number; maxTokens: number };
  /** The proof-of-work challenge on the calls that send codes (see src/spend-guard/challenge/). */
  challenge: ChallengeSettings;
  /** The trusted documents (TRUSTED_DOCUMENTS_FILE), by sha256 id; undefined when no manifest is given. */
  trustedDocuments?: TrustedDocumentsSettings;
  /** Deprecated variables that are set, each with the name that replaces it (start-up warns about each). */
  deprecatedVariables: ReadonlyArray<{ name: string; replacement: string }>;
}

/** The attributes a pool may sign users in by, besides the username (Cognito's UsernameAttributes). */
export const SIGN_IN_ATTRIBUTES = ['email', 'phone_number'] as const;
export type SignInAttribute = (typeof SIGN_IN_ATTRIBUTES)[number];

export interface PoolSettings {
  /**
   * The pool's UsernameAttributes (COGNITO_USERNAME_ATTRIBUTES): the username is an email address or phone
   * number, and Cognito also accepts the `sub` as one. Only then is a username trusted as its own destination.
   */
  usernameAttributes: ReadonlySet<SignInAttribute>;
  /**
   * COGNITO_LOOKUP_USERS: an identifier the gateway has no link for is looked up once with AdminGetUser (IAM
   * credentials from the SDK's usual chain) and linked; needs the user pool id.
   */
  lookupUsers: boolean;
}

export const CHALLENGE_MODES = ['off', 'always', 'adaptive'] as const;
export type ChallengeMode = (typeof CHALLENGE_MODES)[number];

/**
 * `always`: every signUp, resendConfirmationCode and forgotPassword needs a solved challenge; `adaptive`: only
 * once a limit that covers the call is more than half used. `cost` is ALTCHA's PBKDF2 iteration count per try.
 */
export type ChallengeSettings =
  | { mode: 'off' }
  | {
      mode: Exclude<ChallengeMode, 'off'>;
      hmacKey: Secret;
      /** No key was configured (local mode only): one was made for this process. */
      keyGenerated: boolean;
      cost: number;
      /** Failed checks per client IP per hour before its responses are refused unchecked (0: off). */
      failuresIpPerHour: number;
    };

export interface TrustedDocumentsSettings {
  documents: ReadonlyMap<string, string>;
  /** Production without TRUSTED_DOCUMENTS_ALLOW_ARBITRARY: a request must name a document by its id. */
  requireDocumentId: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The one readable line an entry point prints when it cannot start (every bad variable at once), never a stack. */
export function startUpFailure(error: unknown): string {
  return error instanceof ConfigError
    ? error.message
    : `Failed to start: ${error instanceof Error ? error.message : String(error)}`;
}

/** What every entry point says at start-up about a valid configuration that deserves a look. */
export function logConfigWarnings(config: Config, logger: Logger): void {
  for (const { name, replacement } of config.deprecatedVariables) {
    logger.warn({ variable: name, replacement }, `${name} is deprecated: set ${replacement} instead`);
  }
  if (config.cognito.mode === 'remote' && config.cognito.nonAwsEndpoint) {
    logger.warn(
      "COGNITO_ENDPOINT is not an AWS endpoint: validation relaxed to accept an emulator's pool id and secret",
    );
  }
}

const COGNITO_VARIABLES = [
  'COGNITO_REGION',
  'COGNITO_USER_POOL_ID',
  'COGNITO_CLIENT_ID',
  'COGNITO_CLIENT_SECRET',
  'COGNITO_CLIENT_SECRET_FILE',
  'COGNITO_ENDPOINT',
] as const;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
// Cognito's own API patterns and lengths (UserPoolId, ClientId, ClientSecret in its API reference).
const USER_POOL_ID = /^(?=.{1,55}$)[\w-]+_[0-9a-zA-Z]+$/;
const CLIENT_ID = /^[\w+]{1,128}$/;
const CLIENT_SECRET = /^[\w+]{24,64}$/;
/** What an emulator's pool id or secret must still be: no whitespace or control characters, bounded. */
const EMULATOR_VALUE = /^[^\s\p{Cc}]{1,512}$/u;
const EMULATOR_RULE = 'no spaces or control characters; at most 512';
/** Every AWS partition's endpoint suffixes (standard and dual-stack), as the SDK's partitions list them. */
const AWS_DNS_SUFFIXES = [
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
const EMULATOR_DEFAULT_REGION = 'us-east-1';
const HOSTNAME =
  /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** An HMAC-SHA256 key: at least as long as the hash (32), printable, bounded. */
const CHALLENGE_KEY = /^[^\s\p{Cc}]{32,1024}$/u;
const CHALLENGE_KEY_RULE = 'must be 32 to 1024 characters, without spaces or control characters';
/** The most PBKDF2 iterations a challenge may ask per try: checking one costs the gateway that much CPU. */
export const MAX_CHALLENGE_COST = 100_000;

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'], { error: 'must be true or false' })
    .optional()
    .transform((v) => (v === undefined ? fallback : v === 'true' || v === '1'));

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
    .optional()
    .transform((v) => (v === undefined ? fallback : Number(v)))
    .refine((n) => n >= min && n <= max, { error: `must be a whole number from ${min} to ${max}` });

/** A whole number in range, or undefined when unset: for variables whose default depends on other ones. */
const optionalInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `must be a whole number from ${min} to ${max}` })
    .optional()
    .transform((v) => (v === undefined ? undefined : Number(v)))
    .refine((n) => n === undefined || (n >= min && n <= max), {
      error: `must be a whole number from ${min} to ${max}`,
    });

/**
 * The limits the calls share. Like each call's own (in its folder's limits.ts), each has production's default
 * everywhere but in local mode (the embedded stand-in: never in production, never against a remote Cognito),
 * where a developer running the flow again and again would otherwise be locked out for an hour. 0: off.
 */
const SHARED_LIMITS = {
  destinationPerHour: {
    variable: 'LIMIT_DESTINATION_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 5,
    development: 1_000,
  },
  // Budgets: size them to a few times the busiest hour's real codes. A global budget can be spent by an
  // attacker; the per-country one keeps an attack on one country's numbers from blocking the others.
  smsPerCountryPerHour: {
    variable: 'LIMIT_SMS_PER_COUNTRY_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 100,
    development: 1_000,
  },
  smsPerHour: { variable: 'LIMIT_SMS_PER_HOUR', max: MAX_PER_HOUR, production: 300, development: 1_000 },
  emailPerHour: {
    variable: 'LIMIT_EMAIL_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 1_000,
    development: 10_000,
  },
  // Resends for identifiers with no link (users made elsewhere, or before the gateway): one small budget for
  // all of them, so that users an attacker cannot link to a destination get no fresh budget each.
  unknownDestinationPerHour: {
    variable: 'LIMIT_UNKNOWN_DESTINATION_PER_HOUR',
    max: MAX_PER_HOUR,
    production: 20,
    development: 1_000,
  },
} as const satisfies LimitSettings;

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** An address to listen on: an IP or a host name. */
const listenHost = (fallback: string) =>
  optionalText
    .refine((v) => v === undefined || isIP(v) !== 0 || HOSTNAME.test(v), {
      error: 'must be an IP address or a host name',
    })
    .transform((v) => v ?? fallback);

const trustProxy = optionalText.transform((raw, ctx): TrustProxy => {
  if (raw === undefined || raw === 'false' || raw === '0') return { kind: 'none' };
  if (/^\d+$/.test(raw)) return { kind: 'hops', hops: Number(raw) };
  const addresses = raw.split(',').map((s) => s.trim());
  const named = new Set(['loopback', 'linklocal', 'uniquelocal']);
  const valid = (a: string) => {
    if (named.has(a)) return true;
    const [ip, bits, ...rest] = a.split('/');
    if (rest.length > 0 || ip === undefined || isIP(ip) === 0) return false;
    if (bits === undefined) return true;
    const max = isIP(ip) === 4 ? 32 : 128;
    return /^\d+$/.test(bits) && Number(bits) <= max;
  };
  if (!addresses.every(valid)) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be a number of proxy hops or a comma-separated list of IPs, CIDRs, loopback, linklocal, uniquelocal',
    });
    return z.NEVER;
  }
  return { kind: 'addresses', addresses };
});

const corsOrigins = optionalText.transform((raw, ctx) => {
  if (raw === undefined) return [];
  const origins = raw.split(',').map((s) => s.trim().replace(/\/$/, ''));
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.origin !== origin) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a comma-separated list of origins like https://app.example.com',
      });
      return z.NEVER;
    }
  }
  return origins;
});

/** A comma-separated list of codes out of `known`, upper-cased, as a set; undefined when unset. */
const codeList = (known: ReadonlySet<string>, message: string) =>
  optionalText.transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const list = raw.split(',').map((s) => s.trim().toUpperCase());
    if (!list.every((code) => known.has(code))) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return new Set(list);
  });

const countries = codeList(
  PHONE_COUNTRIES,
  'must be a comma-separated list of ISO 3166 alpha-2 country codes',
);
const numberTypes = codeList(
  NUMBER_TYPES,
  `must be a comma-separated list of ${[...NUMBER_TYPES].join(', ')}`,
);

const signInAttributes = optionalText.transform((raw, ctx): ReadonlySet<SignInAttribute> => {
  if (raw === undefined) return new Set();
  const list = raw.split(',').map((s) => s.trim().toLowerCase());
  if (!list.every((a): a is SignInAttribute => (SIGN_IN_ATTRIBUTES as readonly string[]).includes(a))) {
    ctx.addIssue({
      code: 'custom',
      message: `must be a comma-separated list of ${SIGN_IN_ATTRIBUTES.join(', ')}`,
    });
    return z.NEVER;
  }
  return new Set(list);
});

const envSchema = z.object({
  NODE_ENV: optionalText.transform((v) => v ?? 'development'),
  PORT: int(4000, 0, 65535),
  HOST: listenHost('0.0.0.0'),
  COGNITO_REGION: optionalText.refine((v) => v === undefined || REGION.test(v), {
    error: 'must be an AWS region such as eu-west-1',
  }),
  // Its format depends on COGNITO_ENDPOINT: checked in loadConfig.
  COGNITO_USER_POOL_ID: optionalText,
  COGNITO_CLIENT_ID: optionalText.refine((v) => v === undefined || CLIENT_ID.test(v), {
    error: 'must be an app client id (letters, digits, + and _; at most 128)',
  }),
  COGNITO_CLIENT_SECRET: optionalText,
  COGNITO_CLIENT_SECRET_FILE: optionalText,
  COGNITO_ENDPOINT: optionalText.refine((v) => v === undefined || /^https?:\/\/[^\s]+$/.test(v), {
    error: 'must be an http(s) URL',
  }),
  COGNITO_USERNAME_ATTRIBUTES: signInAttributes,
  COGNITO_LOOKUP_USERS: bool(false),
  COGNITO_CONNECT_TIMEOUT_MS: int(1_000, 1, 60_000),
  COGNITO_REQUEST_TIMEOUT_MS: int(3_000, 1, 60_000),
  COGNITO_MAX_ATTEMPTS: int(2, 1, 5),
  COGNITO_MAX_IN_FLIGHT: int(256, 1, 10_000),
  LOCAL_COGNITO_PORT: int(0, 0, 65535),
  TRUST_PROXY: trustProxy,
  SEND_USER_CONTEXT_IP: bool(false),
  ANALYTICS_ENABLED: bool(false),
  CORS_ORIGINS: corsOrigins,
  INTROSPECTION: z.enum(['true', 'false', '1', '0'], { error: 'must be true or false' }).optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .optional()
    .transform((v) => v ?? 'info'),
  SHUTDOWN_TIMEOUT_MS: int(8_000, 0, 60_000),
  SHUTDOWN_DRAIN_DELAY_MS: int(0, 0, 60_000),
  HTTP_HEADERS_TIMEOUT_MS: int(10_000, 1_000, 600_000),
  // 29 s: Node checks once a second, so every slow request is closed within 30 s.
  HTTP_REQUEST_TIMEOUT_MS: int(29_000, 1_000, 600_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: int(5_000, 100, 600_000),
  HTTP_MAX_CONNECTIONS: int(1_024, 1, 1_000_000),
  // 256: one Node or browser client running 50 requests at once holds up to ~80 connections while it recycles them.
  HTTP_MAX_CONNECTIONS_PER_PEER: int(256, 0, 1_000_000),
  LIMIT_USERNAME_CASE_SENSITIVE: bool(false),
  SMS_ALLOWED_COUNTRIES: countries,
  SMS_BLOCKED_COUNTRIES: countries,
  SMS_ALLOWED_NUMBER_TYPES: numberTypes,
  LIMIT_IPV6_PREFIX: int(64, 16, 128),
  // At least 30 days: Cognito keeps unconfirmed users (and sends their codes) for as long as they exist.
  LIMIT_LINK_RETENTION_DAYS: int(365, 30, 3_650),
  REDIS_URL: optionalText.refine((v) => v === undefined || /^rediss?:\/\/\S+$/.test(v), {
    error: 'must be a redis:// or rediss:// URL',
  }),
  LIMIT_MEMORY_MAX_MB: optionalInt(8, 65_536),
  GRAPHQL_MAX_ALIASES: int(5, 0, 1_000),
  GRAPHQL_MAX_DEPTH: int(10, 1, 1_000),
  GRAPHQL_MAX_TOKENS: int(1_000, 50, 1_000_000),
  CHALLENGE_MODE: z
    .enum(CHALLENGE_MODES, { error: `must be one of ${CHALLENGE_MODES.join(', ')}` })
    .optional()
    .transform((v) => v ?? 'off'),
  // Checked in loadConfig, like the client secret: inline or from a file, and never echoed.
  CHALLENGE_HMAC_KEY: optionalText,
  CHALLENGE_HMAC_KEY_FILE: optionalText,
  // 3,000 PBKDF2 iterations a try, 256 tries expected: see docs/security.md for the measured cost.
  CHALLENGE_COST: int(3_000, 100, MAX_CHALLENGE_COST),
  // Each failed check cost a PBKDF2 derivation: an IP past this many an hour gets RATE_LIMITED unchecked.
  CHALLENGE_FAILURES_IP_PER_HOUR: int(20, 0, MAX_PER_HOUR),
  // Read and checked in loadConfig; validated against the schema when the gateway is built.
  TRUSTED_DOCUMENTS_FILE: optionalText,
  TRUSTED_DOCUMENTS_ALLOW_ARBITRARY: bool(false),
  OPS_PORT: optionalInt(0, 65535),
  // Loopback: whoever scrapes or probes from outside the host (another pod) must ask for it.
  OPS_HOST: listenHost('127.0.0.1'),
});

/** The LIMIT_* variables of the shared limits and of each call's own, deprecated names included. */
function limitSchema(calls: readonly CallLimits[]) {
  const shape: Record<string, ReturnType<typeof optionalInt>> = {};
  for (const settings of [SHARED_LIMITS, ...calls.map((c) => c.limits)])
    for (const setting of Object.values(settings))
      for (const name of settingVariables(setting)) shape[name] = optionalInt(0, setting.max);
  // Typed as the fixed part: the limits' variables are read by name, through their settings.
  return envSchema.extend(shape) as unknown as typeof envSchema;
}

/** Every variable the gateway reads with these calls, for the check that the reference lists them all. */
export function configVariables(calls: readonly CallLimits[]): string[] {
  return Object.keys(limitSchema(calls).shape);
}

type ReadFile = (path: string) => string;

/**
 * Reads the configuration, with the limits of `calls` (the registry's: USER_POOL_CALLS' calls), each read
 * by its own settings.
 */
export function loadConfig(
  env: Record<string, string | undefined>,
  calls: readonly CallLimits[],
  readFile: ReadFile = (p) => readFileSync(p, 'utf8'),
): Config {
  const schema = limitSchema(calls);
  // Every bad variable is reported at once: the checks that span variables run on the rest, with the bad
  // ones at their defaults, and say nothing more about a variable already reported.
  const parsed = schema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  const reported = new Set(problems.map((p) => p.slice(0, p.indexOf(':'))));
  const valid = Object.fromEntries(Object.entries(env).filter(([name]) => !reported.has(name)));
  const e = parsed.success ? parsed.data : schema.parse(valid);
  const report = (problem: string) => {
    const name = problem.slice(0, problem.indexOf(':'));
    if (!reported.has(name)) problems.push(problem);
  };
  const isProduction = e.NODE_ENV === 'production';

  const anyCognito = COGNITO_VARIABLES.some((name) => (env[name] ?? '').trim() !== '');
  let cognito: Config['cognito'];
  if (!anyCognito && !isProduction) {
    cognito = { mode: 'local', port: e.LOCAL_COGNITO_PORT };
  } else {
    // Against an emulator, Cognito's formats would refuse its credentials (moto's secrets are UUIDs,
    // cognito-local's pool ids name no region). A malformed endpoint is judged loosely too: it is reported
    // already, and nothing should be reported only because of it.
    const nonAwsEndpoint = reported.has('COGNITO_ENDPOINT') || isNonAwsEndpoint(e.COGNITO_ENDPOINT);
    const userPoolId = e.COGNITO_USER_POOL_ID;
    if (userPoolId !== undefined && !(nonAwsEndpoint ? EMULATOR_VALUE : USER_POOL_ID).test(userPoolId)) {
      report(
        nonAwsEndpoint
          ? `COGNITO_USER_POOL_ID: must be a user pool id (${EMULATOR_RULE})`
          : 'COGNITO_USER_POOL_ID: must be a user pool id such as eu-west-1_AbC123xyZ',
      );
    }
    const clientSecret = readClientSecret(
      e.COGNITO_CLIENT_SECRET,
      e.COGNITO_CLIENT_SECRET_FILE,
      nonAwsEndpoint,
      readFile,
      report,
    );
    const poolPrefix = userPoolId?.slice(0, Math.max(0, userPoolId.lastIndexOf('_')));
    const poolRegion = poolPrefix && REGION.test(poolPrefix) ? poolPrefix : undefined;
    const region = e.COGNITO_REGION ?? poolRegion ?? (nonAwsEndpoint ? EMULATOR_DEFAULT_REGION : undefined);
    if (!e.COGNITO_CLIENT_ID) {
      report(
        isProduction
          ? 'COGNITO_CLIENT_ID: is required in production'
          : 'COGNITO_CLIENT_ID: is required once any COGNITO_* variable is set (unset them all to use the local stand-in)',
      );
    }
    if (!region) {
      report(
        userPoolId
          ? 'COGNITO_REGION: is required (COGNITO_USER_POOL_ID names no region)'
          : 'COGNITO_REGION: is required (or give COGNITO_USER_POOL_ID, which names the region)',
      );
    }
    if (!nonAwsEndpoint && e.COGNITO_REGION && poolRegion && e.COGNITO_REGION !== poolRegion) {
      report('COGNITO_USER_POOL_ID: belongs to another region than COGNITO_REGION');
    }
    cognito = {
      mode: 'remote',
      nonAwsEndpoint,
      region: region ?? '',
      clientId: e.COGNITO_CLIENT_ID ?? '',
      ...(userPoolId && { userPoolId }),
      ...(clientSecret && { clientSecret }),
      ...(clientSecret && e.COGNITO_CLIENT_SECRET_FILE && { clientSecretFile: e.COGNITO_CLIENT_SECRET_FILE }),
      ...(e.COGNITO_ENDPOINT && { endpoint: e.COGNITO_ENDPOINT }),
    };
    if (e.COGNITO_LOOKUP_USERS && !userPoolId) {
      report('COGNITO_LOOKUP_USERS: needs COGNITO_USER_POOL_ID (AdminGetUser names the pool)');
    }
    if (e.SEND_USER_CONTEXT_IP && !clientSecret) {
      report(
        'SEND_USER_CONTEXT_IP: needs a client secret (Cognito accepts IpAddress only from clients with one)',
      );
    }
  }
  const challenge = challengeSettings(e, cognito.mode === 'local', readFile, report);
  const trustedDocuments = trustedDocumentsSettings(e, isProduction, readFile, report);
  // Node refuses to start a server whose header timeout outlasts its request timeout.
  if (!reported.has('HTTP_REQUEST_TIMEOUT_MS') && e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    report(
      `HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS (${e.HTTP_REQUEST_TIMEOUT_MS})`,
    );
  }
  // Two listeners on one port: the second would fail to start with EADDRINUSE, said less plainly.
  if (!reported.has('PORT') && e.OPS_PORT !== undefined && e.OPS_PORT !== 0 && e.OPS_PORT === e.PORT) {
    report(`OPS_PORT: must not be PORT (${e.PORT})`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    nodeEnv: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    ...(e.OPS_PORT !== undefined && { ops: { port: e.OPS_PORT, host: e.OPS_HOST } }),
    cognito,
    upstream: {
      connectTimeoutMs: e.COGNITO_CONNECT_TIMEOUT_MS,
      requestTimeoutMs: e.COGNITO_REQUEST_TIMEOUT_MS,
      maxAttempts: e.COGNITO_MAX_ATTEMPTS,
      maxInFlight: e.COGNITO_MAX_IN_FLIGHT,
    },
    trustProxy: e.TRUST_PROXY,
    sendUserContextIp: e.SEND_USER_CONTEXT_IP,
    analyticsEnabled: e.ANALYTICS_ENABLED,
    corsOrigins: e.CORS_ORIGINS,
    introspection:
      e.INTROSPECTION === undefined ? !isProduction : e.INTROSPECTION === 'true' || e.INTROSPECTION === '1',
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    shutdownDrainDelayMs: e.SHUTDOWN_DRAIN_DELAY_MS,
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
      maxConnectionsPerPeer: e.HTTP_MAX_CONNECTIONS_PER_PEER,
    },
    limits: abuseLimits(e, calls, cognito.mode === 'local' ? 'development' : 'production'),
    phonePolicy: {
      ...(e.SMS_ALLOWED_COUNTRIES && { allowedCountries: e.SMS_ALLOWED_COUNTRIES }),
      blockedCountries: e.SMS_BLOCKED_COUNTRIES ?? new Set(),
      ...(e.SMS_ALLOWED_NUMBER_TYPES && { allowedTypes: e.SMS_ALLOWED_NUMBER_TYPES }),
    },
    pool: { usernameAttributes: e.COGNITO_USERNAME_ATTRIBUTES, lookupUsers: e.COGNITO_LOOKUP_USERS },
    graphql: {
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
    },
    challenge,
    ...(trustedDocuments && { trustedDocuments }),
    deprecatedVariables: calls.flatMap(({ limits }) =>
      Object.values(limits).flatMap(({ variable, deprecatedName }) =>
        deprecatedName !== undefined && env[deprecatedName] !== undefined
          ? [{ name: deprecatedName, replacement: variable }]
          : [],
      ),
    ),
  };
}

/** No endpoint means AWS's own; otherwise whether the URL's host lies outside every AWS partition. */
function isNonAwsEndpoint(endpoint: string | undefined): boolean {
  if (endpoint === undefined) return false;
  let host: string;
  try {
    host = new URL(endpoint).hostname.toLowerCase().replace(/\.$/, '');
  } catch {
    return true;
  }
  return !AWS_DNS_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

/** The abuse limits: a LIMIT_* variable that is set always wins; the others take `column`'s default. */
function abuseLimits(
  e: z.infer<typeof envSchema>,
  calls: readonly CallLimits[],
  column: LimitColumn,
): Config['limits'] {
  const readVariable = (variable: string) => (e as Record<string, unknown>)[variable] as number | undefined;
  return {
    calls: Object.fromEntries(calls.map((c) => [c.operation, limitValues(c.limits, readVariable, column)])),
    ...limitValues(SHARED_LIMITS, readVariable, column),
    linkRetentionSeconds: e.LIMIT_LINK_RETENTION_DAYS * 86_400,
    usernameCaseSensitive: e.LIMIT_USERNAME_CASE_SENSITIVE,
    ipv6PrefixBits: e.LIMIT_IPV6_PREFIX,
    ...(e.REDIS_URL && { redisUrl: e.REDIS_URL }),
    ...(e.LIMIT_MEMORY_MAX_MB !== undefined && { memoryMaxMb: e.LIMIT_MEMORY_MAX_MB }),
  };
}

function readClientSecret(
  inline: string | undefined,
  file: string | undefined,
  nonAwsEndpoint: boolean,
  readFile: ReadFile,
  report: (problem: string) => void,
): Secret | undefined {
  const given = readSecretVariable(
    { inline: 'COGNITO_CLIENT_SECRET', file: 'COGNITO_CLIENT_SECRET_FILE' },
    inline,
    file,
    readFile,
    report,
  );
  if (given === undefined) return undefined;
  const problem = clientSecretProblem(given.value, given.from, nonAwsEndpoint);
  if (problem !== undefined) {
    report(problem);
    return undefined;
  }
  return new Secret(given.value);
}

/**
 * Why `value` (from the variable `from`) is not a client secret, or undefined when it is one. Start-up and
 * the reloading source (src/cognito/client-secret-source.ts) judge a secret by this one rule. Never names the value.
 */
export function clientSecretProblem(
  value: string,
  from: string,
  nonAwsEndpoint: boolean,
): string | undefined {
  if ((nonAwsEndpoint ? EMULATOR_VALUE : CLIENT_SECRET).test(value)) return undefined;
  return nonAwsEndpoint
    ? `${from}: is not a client secret (${EMULATOR_RULE})`
    : `${from}: is not an app client secret (24 to 64 letters, digits, + and _)`;
}

/** A secret file's text as the secret: only the newline an editor or `echo` leaves is dropped. */
export function secretFileValue(text: string): string {
  return text.replace(/\r?\n$/, '');
}

/**
 * The challenge settings. The key is checked whenever it is given; once the challenge is on it is required,
 * except in local mode, where a random one is made for this process (challenges then die with it).
 */
function challengeSettings(
  e: z.infer<typeof envSchema>,
  localMode: boolean,
  readFile: ReadFile,
  report: (problem: string) => void,
): ChallengeSettings {
  const given = readSecretVariable(
    { inline: 'CHALLENGE_HMAC_KEY', file: 'CHALLENGE_HMAC_KEY_FILE' },
    e.CHALLENGE_HMAC_KEY,
    e.CHALLENGE_HMAC_KEY_FILE,
    readFile,
    report,
  );
  const valid = given !== undefined && CHALLENGE_KEY.test(given.value);
  if (given !== undefined && !valid) report(`${given.from}: ${CHALLENGE_KEY_RULE}`);
  const mode = e.CHALLENGE_MODE;
  // A key named but refused (malformed, unreadable, both variables) is reported already, which stops start-up.
  const named = e.CHALLENGE_HMAC_KEY !== undefined || e.CHALLENGE_HMAC_KEY_FILE !== undefined;
  if (mode === 'off' || (named && !valid)) return { mode: 'off' };
  const on = { mode, cost: e.CHALLENGE_COST, failuresIpPerHour: e.CHALLENGE_FAILURES_IP_PER_HOUR };
  if (given !== undefined) return { ...on, hmacKey: new Secret(given.value), keyGenerated: false };
  if (localMode) return { ...on, hmacKey: new Secret(randomBytes(32).toString('hex')), keyGenerated: true };
  report(
    'CHALLENGE_HMAC_KEY: is required when CHALLENGE_MODE is always or adaptive (or CHALLENGE_HMAC_KEY_FILE)',
  );
  return { mode: 'off' };
}

/** The manifest named by TRUSTED_DOCUMENTS_FILE, its ids checked against its documents. */
function trustedDocumentsSettings(
  e: z.infer<typeof envSchema>,
  isProduction: boolean,
  readFile: ReadFile,
  report: (problem: string) => void,
): TrustedDocumentsSettings | undefined {
  if (e.TRUSTED_DOCUMENTS_FILE === undefined) return undefined;
  let text: string;
  try {
    text = readFile(e.TRUSTED_DOCUMENTS_FILE);
  } catch (err) {
    report(
      `TRUSTED_DOCUMENTS_FILE: cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`,
    );
    return undefined;
  }
  const manifest = parseTrustedDocumentManifest(text);
  if (!manifest.ok) {
    report(`TRUSTED_DOCUMENTS_FILE: ${manifest.problem}`);
    return undefined;
  }
  return {
    documents: manifest.documents,
    requireDocumentId: isProduction && !e.TRUSTED_DOCUMENTS_ALLOW_ARBITRARY,
  };
}

/**
 * A secret given inline or in a file (container secrets), the file's one trailing newline dropped, with the
 * variable it came from; undefined when neither is set, or when the pair is already reported.
 */
function readSecretVariable(
  names: { inline: string; file: string },
  inline: string | undefined,
  file: string | undefined,
  readFile: ReadFile,
  report: (problem: string) => void,
): { value: string; from: string } | undefined {
  if (inline && file) {
    report(`${names.file}: set either it or ${names.inline}, not both`);
    return undefined;
  }
  if (file) {
    try {
      // Other whitespace than that newline means a mangled secret, refused by the caller.
      return { value: secretFileValue(readFile(file)), from: names.file };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
      report(`${names.file}: cannot read the file (${code})`);
      return undefined;
    }
  }
  return inline === undefined ? undefined : { value: inline, from: names.inline };
}
