// The gateway's configuration as the rest of the code reads it: one typed object, built once by loadConfig.
import type { LimitSettings, LimitValues } from '../limits/limit-settings';
import type { Secret } from '../secret';
import type { PhonePolicySettings } from '../spend-guard/phone-policy';

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
    /** Each call's own limits (declared in its folder's limits.ts), under its Cognito action's name. */
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
    /** Where the limits are shared (REDIS_*); unset: in this process's memory. */
    redis?: RedisSettings;
    /** The most the in-memory counters and links (Redis's shadow too) may take, in MB; unset: the store's default. */
    memoryMaxMb?: number;
  };
  /** Which phone numbers may receive codes. */
  phonePolicy: PhonePolicySettings;
  /** What the gateway knows of the pool's users, for the spend guard's destination links. */
  pool: PoolSettings;
  /** How signIn and refreshTokens ask Cognito (COGNITO_SIGN_IN_FLOW, COGNITO_REFRESH_FLOW). */
  signIn: {
    flow: 'USER_AUTH' | 'USER_PASSWORD_AUTH';
    refreshFlow: 'GetTokensFromRefreshToken' | 'REFRESH_TOKEN_AUTH';
  };
  graphql: { maxAliases: number; maxDepth: number; maxTokens: number };
  /** The proof-of-work challenge on the calls that send codes (see src/spend-guard/challenge/). */
  challenge: ChallengeSettings;
  /** The trusted-documents settings: the manifest's documents (TRUSTED_DOCUMENTS_FILE); undefined without one. */
  trustedDocuments?: TrustedDocumentsSettings;
  /**
   * The sealed refresh-token cookie (src/session/); undefined when no call served uses it and SESSION_KEYS is
   * not set.
   */
  session?: SessionSettings;
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

/** How the gateway reaches Redis (REDIS_MODE): one node, a cluster-mode cluster, or a master found by Sentinel. */
export const REDIS_MODES = ['single', 'cluster', 'sentinel'] as const;
export type RedisMode = (typeof REDIS_MODES)[number];

export interface RedisNode {
  host: string;
  port: number;
}

/** REDIS_MODE, REDIS_URL and REDIS_SENTINEL_NAME, read together. */
export interface RedisSettings {
  mode: RedisMode;
  /** single: the node; cluster: the seed nodes (the client finds the rest); sentinel: the sentinels. */
  nodes: RedisNode[];
  /** rediss://: TLS to every node (and, in sentinel mode, to the sentinels). */
  tls: boolean;
  /** The ACL user (Redis 6+, ElastiCache RBAC); unset: `default`. */
  username?: string;
  password?: Secret;
  /** The database (single and sentinel only); unset: 0. */
  db?: number;
  /** The master name the sentinels monitor (sentinel only). */
  sentinelName?: string;
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
  /** The manifest's persisted documents, by sha256 id. */
  documents: ReadonlyMap<string, string>;
  /**
   * The policy holds: only these documents run, so a request must name one by id (production without
   * TRUSTED_DOCUMENTS_ALLOW_ARBITRARY).
   */
  enforced: boolean;
}

export const SAME_SITE_VALUES = ['Strict', 'Lax', 'None'] as const;
/** The refresh-token cookie's SameSite attribute, spelt as Set-Cookie spells it. */
export type SameSite = (typeof SAME_SITE_VALUES)[number];

export interface SessionSettings {
  /**
   * Newest first (SESSION_KEYS or SESSION_KEYS_FILE): the first seals, either opens. One, or two while a
   * rotation goes round.
   */
  keys: readonly Secret[];
  /** Where the keys were read from: watched and re-read on SIGHUP, so rotating them needs no restart. */
  keysFile?: string;
  /** No key was configured (local mode only): one was made for this process, and its cookies die with it. */
  keysGenerated: boolean;
  /** Always `__Host-` and a name (SESSION_COOKIE_NAME). */
  cookieName: string;
  sameSite: SameSite;
  /** The app client's refresh-token validity, 1-3650 days: a sealed session ends when its token does. */
  refreshTokenValidityDays: number;
  /** Whether a caller (a native app, with no cookie jar) may ask for the refresh token in the payload. */
  refreshTokenInPayload: boolean;
}

/** Reads a file's text (injected, so that tests read none). */
export type ReadFile = (path: string) => string;
