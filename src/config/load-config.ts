// Reads process.env once, validates every variable and returns a typed configuration. A bad value stops
// start-up with one message naming each offending variable; values are never echoed (some are secrets).
import { readFileSync } from 'node:fs';
import type { CallLimits } from '../limits/limit-settings';
import type { Logger } from '../logger';
import { challengeSettings } from './challenge';
import { cognitoSettings } from './cognito';
import { limitSchema } from './env-schema';
import { abuseLimits } from './limits';
import { redisSettings } from './redis';
import { SESSION_COOKIE_ACTIONS, sessionSettings } from './session';
import { trustedDocumentsSettings } from './trusted-documents';
import type { Config, ReadFile } from './types';

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
  if (config.session?.keysGenerated) {
    logger.warn(
      'SESSION_KEYS is not set: refresh-token cookies are sealed with a key made for this process, and stop opening when it restarts',
    );
  }
}

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

  const cognito = cognitoSettings(e, env, isProduction, reported, readFile, report);
  const challenge = challengeSettings(e, cognito.mode === 'local', readFile, report);
  const trustedDocuments = trustedDocumentsSettings(e, isProduction, readFile, report);
  const redis = redisSettings(e, reported, report);
  const session = sessionSettings(
    e,
    {
      signIn: calls.some(({ action }) => SESSION_COOKIE_ACTIONS.has(action)),
      production: isProduction,
    },
    readFile,
    report,
  );
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
    limits: {
      ...abuseLimits(e, calls, cognito.mode === 'local' ? 'development' : 'production'),
      ...(redis && { redis }),
    },
    phonePolicy: {
      ...(e.SMS_ALLOWED_COUNTRIES && { allowedCountries: e.SMS_ALLOWED_COUNTRIES }),
      blockedCountries: e.SMS_BLOCKED_COUNTRIES ?? new Set(),
      ...(e.SMS_ALLOWED_NUMBER_TYPES && { allowedTypes: e.SMS_ALLOWED_NUMBER_TYPES }),
    },
    pool: { usernameAttributes: e.COGNITO_USERNAME_ATTRIBUTES, lookupUsers: e.COGNITO_LOOKUP_USERS },
    signIn: {
      flow: e.COGNITO_SIGN_IN_FLOW ?? 'USER_AUTH',
      refreshFlow: e.COGNITO_REFRESH_FLOW ?? 'GetTokensFromRefreshToken',
    },
    graphql: {
      maxAliases: e.GRAPHQL_MAX_ALIASES,
      maxDepth: e.GRAPHQL_MAX_DEPTH,
      maxTokens: e.GRAPHQL_MAX_TOKENS,
    },
    challenge,
    ...(trustedDocuments && { trustedDocuments }),
    ...(session && { session }),
    deprecatedVariables: calls.flatMap(({ limits }) =>
      Object.values(limits).flatMap(({ variable, deprecatedName }) =>
        deprecatedName !== undefined && env[deprecatedName] !== undefined
          ? [{ name: deprecatedName, replacement: variable }]
          : [],
      ),
    ),
  };
}
