// The environment variables the gateway reads, each validated by zod: one schema, every variable in it, so
// that a bad value is reported with its name and never echoed.
import { isIP } from 'node:net';
import { z } from 'zod';
import { type CallLimits, MAX_PER_HOUR, settingVariables } from '../limits/limit-settings';
import { SHARED_LIMITS } from '../limits/send-limits';
import { phoneCountries } from '../spend-guard/phone-numbers';
import { NUMBER_TYPES } from '../spend-guard/phone-policy';
import {
  CLIENT_ID,
  DEFAULT_SESSION_COOKIE_NAME,
  HOSTNAME,
  LOG_LEVELS,
  MAX_CHALLENGE_COST,
  REGION,
  SESSION_COOKIE_NAME,
} from './formats';
import {
  CHALLENGE_MODES,
  REDIS_MODES,
  SAME_SITE_VALUES,
  type SameSite,
  SIGN_IN_ATTRIBUTES,
  type SignInAttribute,
  type TrustProxy,
} from './types';

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

/**
 * A comma-separated list of codes out of `known` (asked for only when the variable is set), upper-cased, as a
 * set; undefined when unset.
 */
const codeList = (known: () => ReadonlySet<string>, message: string) =>
  optionalText.transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const list = raw.split(',').map((s) => s.trim().toUpperCase());
    const codes = known();
    if (!list.every((code) => codes.has(code))) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return new Set(list);
  });

const countries = codeList(
  phoneCountries,
  'must be a comma-separated list of ISO 3166 alpha-2 country codes',
);
const numberTypes = codeList(
  () => NUMBER_TYPES,
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

/** Strict, Lax or None in any case, as Set-Cookie spells it; Strict when unset. */
const sameSite = optionalText.transform((raw, ctx): SameSite => {
  if (raw === undefined) return 'Strict';
  const value = SAME_SITE_VALUES.find((v) => v.toLowerCase() === raw.toLowerCase());
  if (value === undefined) {
    ctx.addIssue({ code: 'custom', message: `must be one of ${SAME_SITE_VALUES.join(', ')}` });
    return z.NEVER;
  }
  return value;
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
  COGNITO_SIGN_IN_FLOW: z
    .enum(['USER_AUTH', 'USER_PASSWORD_AUTH'], { error: 'must be USER_AUTH or USER_PASSWORD_AUTH' })
    .optional(),
  COGNITO_REFRESH_FLOW: z
    .enum(['GetTokensFromRefreshToken', 'REFRESH_TOKEN_AUTH'], {
      error: 'must be GetTokensFromRefreshToken or REFRESH_TOKEN_AUTH',
    })
    .optional(),
  COGNITO_CONNECT_TIMEOUT_MS: int(1_000, 1, 60_000),
  COGNITO_REQUEST_TIMEOUT_MS: int(3_000, 1, 60_000),
  COGNITO_MAX_ATTEMPTS: int(2, 1, 5),
  COGNITO_MAX_IN_FLIGHT: int(256, 1, 10_000),
  // Fixed, so that the stand-in's outbox URL stays the same across restarts: next to PORT's 4000 and used by
  // no common tool (9229 is Node's inspector and cognito-local's). 0 takes any free port.
  LOCAL_COGNITO_PORT: int(4099, 0, 65535),
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
  // Read with REDIS_MODE and REDIS_SENTINEL_NAME in loadConfig (config/redis.ts); it may hold a password.
  REDIS_URL: optionalText,
  REDIS_MODE: z.enum(REDIS_MODES, { error: `must be one of ${REDIS_MODES.join(', ')}` }).optional(),
  REDIS_SENTINEL_NAME: optionalText,
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
  // Checked in loadConfig, like the client secret: inline or from a file, and never echoed.
  SESSION_KEYS: optionalText,
  SESSION_KEYS_FILE: optionalText,
  SESSION_COOKIE_NAME: optionalText
    .refine((v) => v === undefined || SESSION_COOKIE_NAME.test(v), {
      error: 'must be __Host- followed by 1 to 64 letters, digits, - or _',
    })
    .transform((v) => v ?? DEFAULT_SESSION_COOKIE_NAME),
  SESSION_COOKIE_SAMESITE: sameSite,
  // Cognito's own range for a refresh token (60 minutes to 10 years), in whole days; its default is 30.
  REFRESH_TOKEN_VALIDITY_DAYS: int(30, 1, 3_650),
  REFRESH_TOKEN_IN_PAYLOAD: bool(false),
  OPS_PORT: optionalInt(0, 65535),
  // Loopback: whoever scrapes or probes from outside the host (another pod) must ask for it.
  OPS_HOST: listenHost('127.0.0.1'),
});

/** The LIMIT_* variables of the shared limits and of each call's own, deprecated names included. */
export function limitSchema(calls: readonly CallLimits[]) {
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

/** The environment as the schema read it. */
export type Env = z.infer<typeof envSchema>;
