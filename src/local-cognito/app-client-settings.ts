// An app client's sign-in settings (CreateUserPoolClient): which InitiateAuth flows it allows, whether it
// rotates refresh tokens, how long its tokens and challenge sessions last. Read from the wire with Cognito's
// validation, given defaults, described back, and asked by the sign-in targets.
//
// Cognito's defaults (API reference, CreateUserPoolClient): ExplicitAuthFlows ALLOW_REFRESH_TOKEN_AUTH,
// ALLOW_USER_SRP_AUTH and ALLOW_CUSTOM_AUTH; access and ID tokens 60 minutes (their default unit is hours);
// refresh tokens 30 days; AuthSessionValidity 3 minutes (3 to 15).
import { CognitoError } from './errors';
import type { AppClient, ExplicitAuthFlow, JsonObject, TimeUnit, TokenLifetime } from './types';
import {
  memberPath,
  mustNotBeNull,
  readInteger,
  readObject,
  readStringList,
  readStrings,
  validationError,
} from './validation';

export const EXPLICIT_AUTH_FLOWS: readonly ExplicitAuthFlow[] = [
  'ADMIN_NO_SRP_AUTH',
  'CUSTOM_AUTH_FLOW_ONLY',
  'USER_PASSWORD_AUTH',
  'ALLOW_ADMIN_USER_PASSWORD_AUTH',
  'ALLOW_CUSTOM_AUTH',
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_USER_AUTH',
];
const LEGACY_FLOWS: readonly ExplicitAuthFlow[] = [
  'ADMIN_NO_SRP_AUTH',
  'CUSTOM_AUTH_FLOW_ONLY',
  'USER_PASSWORD_AUTH',
];

/** What a client made over the wire without ExplicitAuthFlows allows, as in Cognito. */
export const COGNITO_DEFAULT_AUTH_FLOWS: readonly ExplicitAuthFlow[] = [
  'ALLOW_REFRESH_TOKEN_AUTH',
  'ALLOW_USER_SRP_AUTH',
  'ALLOW_CUSTOM_AUTH',
];

/**
 * The programmatic API's default (`standIn.createUserPoolClient`): the stand-in has always signed in with
 * USER_PASSWORD_AUTH, which tests rely on; a test wanting Cognito's default passes it. Same split as the pool's
 * accountRecovery default.
 */
export const STAND_IN_DEFAULT_AUTH_FLOWS: readonly ExplicitAuthFlow[] = [
  'ALLOW_USER_PASSWORD_AUTH',
  'ALLOW_REFRESH_TOKEN_AUTH',
];

export const DEFAULT_ACCESS_TOKEN_VALIDITY: TokenLifetime = { value: 60, unit: 'minutes' };
export const DEFAULT_ID_TOKEN_VALIDITY: TokenLifetime = { value: 60, unit: 'minutes' };
export const DEFAULT_REFRESH_TOKEN_VALIDITY: TokenLifetime = { value: 30, unit: 'days' };
export const DEFAULT_AUTH_SESSION_VALIDITY_MINUTES = 3;

const UNIT_SECONDS: Readonly<Record<TimeUnit, number>> = {
  seconds: 1,
  minutes: 60,
  hours: 3600,
  days: 86400,
};
const TIME_UNITS = Object.keys(UNIT_SECONDS) as TimeUnit[];

export function lifetimeSeconds(lifetime: TokenLifetime): number {
  return lifetime.value * UNIT_SECONDS[lifetime.unit];
}

// The documented ranges after the unit is applied: access and ID tokens 5 minutes to 1 day, refresh tokens 60
// minutes to 10 years. The message is the stand-in's; Cognito's own wording is not documented.
const RANGES = {
  AccessTokenValidity: { min: 300, max: 86_400, text: '5 minutes and 1 day' },
  IdTokenValidity: { min: 300, max: 86_400, text: '5 minutes and 1 day' },
  RefreshTokenValidity: { min: 3_600, max: 315_360_000, text: '60 minutes and 10 years' },
} as const;

export interface ClientSignInSettings {
  authFlows: readonly ExplicitAuthFlow[];
  refreshTokenRotation?: { retryGracePeriodSeconds: number };
  accessTokenValidity: TokenLifetime;
  idTokenValidity: TokenLifetime;
  refreshTokenValidity: TokenLifetime;
  authSessionValidityMinutes: number;
}

/** The sign-in settings of a CreateUserPoolClient request, with Cognito's defaults for what it leaves out. */
export function readClientSignInSettings(body: JsonObject): ClientSignInSettings {
  const rotation = readRotation(body);
  const units = readObject(body, 'TokenValidityUnits') ?? {};
  const sessionMinutes = readInteger(body, 'AuthSessionValidity');
  if (sessionMinutes !== undefined && (sessionMinutes < 3 || sessionMinutes > 15)) {
    const bound = sessionMinutes < 3 ? 'greater than or equal to 3' : 'less than or equal to 15';
    throw validationError([
      `Value '${sessionMinutes}' at 'authSessionValidity' failed to satisfy constraint: Member must have value ${bound}`,
    ]);
  }
  return {
    authFlows: readAuthFlows(body),
    ...(rotation && { refreshTokenRotation: rotation }),
    accessTokenValidity: readLifetime(body, units, 'AccessTokenValidity', 'AccessToken', 'hours'),
    idTokenValidity: readLifetime(body, units, 'IdTokenValidity', 'IdToken', 'hours'),
    refreshTokenValidity: readLifetime(body, units, 'RefreshTokenValidity', 'RefreshToken', 'days'),
    authSessionValidityMinutes: sessionMinutes ?? DEFAULT_AUTH_SESSION_VALIDITY_MINUTES,
  };
}

function readAuthFlows(body: JsonObject): ExplicitAuthFlow[] {
  const flows = readStringList(body, 'ExplicitAuthFlows');
  if (flows === undefined) return [...COGNITO_DEFAULT_AUTH_FLOWS];
  checkAuthFlows(flows);
  return [...new Set(flows)] as ExplicitAuthFlow[];
}

/** Refuses unknown values, and legacy values mixed with ALLOW_ ones (the API reference forbids the mix). */
export function checkAuthFlows(flows: readonly string[]): asserts flows is readonly ExplicitAuthFlow[] {
  if (flows.some((flow) => !(EXPLICIT_AUTH_FLOWS as readonly string[]).includes(flow))) {
    throw validationError([
      `Value '[${flows.join(', ')}]' at 'explicitAuthFlows' failed to satisfy constraint: Member must satisfy ` +
        `constraint: [Member must satisfy enum value set: [${EXPLICIT_AUTH_FLOWS.join(', ')}]]`,
    ]);
  }
  const legacy = flows.filter((flow) => (LEGACY_FLOWS as readonly string[]).includes(flow));
  if (legacy.length > 0 && legacy.length < flows.length) {
    throw new CognitoError(
      'InvalidParameterException',
      'ExplicitAuthFlows cannot mix legacy values (ADMIN_NO_SRP_AUTH, CUSTOM_AUTH_FLOW_ONLY, USER_PASSWORD_AUTH) with ALLOW_ values.',
    );
  }
}

function readRotation(body: JsonObject): { retryGracePeriodSeconds: number } | undefined {
  const rotation = readObject(body, 'RefreshTokenRotation');
  if (rotation === undefined) return undefined;
  if (rotation.Feature === undefined || rotation.Feature === null) {
    throw validationError([mustNotBeNull('refreshTokenRotation.feature')]);
  }
  const { Feature } = readStrings(rotation, ['Feature']);
  if (Feature !== 'ENABLED' && Feature !== 'DISABLED') {
    throw validationError([
      `Value '${Feature}' at 'refreshTokenRotation.feature' failed to satisfy constraint: Member must satisfy enum value set: [ENABLED, DISABLED]`,
    ]);
  }
  const grace = readInteger(rotation, 'RetryGracePeriodSeconds');
  if (grace !== undefined && (grace < 0 || grace > 60)) {
    const bound = grace < 0 ? 'greater than or equal to 0' : 'less than or equal to 60';
    throw validationError([
      `Value '${grace}' at 'refreshTokenRotation.retryGracePeriodSeconds' failed to satisfy constraint: Member must have value ${bound}`,
    ]);
  }
  // The API reference documents no default grace period; 0 is the value that turns it off.
  return Feature === 'ENABLED' ? { retryGracePeriodSeconds: grace ?? 0 } : undefined;
}

function readLifetime(
  body: JsonObject,
  units: JsonObject,
  field: keyof typeof RANGES,
  unitField: string,
  defaultUnit: TimeUnit,
): TokenLifetime {
  const rawUnit = readStrings(units, [], [unitField])[unitField];
  if (rawUnit !== undefined && !(TIME_UNITS as string[]).includes(rawUnit)) {
    throw validationError([
      `Value '${rawUnit}' at 'tokenValidityUnits.${memberPath(unitField)}' failed to satisfy constraint: Member must satisfy enum value set: [${TIME_UNITS.join(', ')}]`,
    ]);
  }
  const unit = (rawUnit as TimeUnit | undefined) ?? defaultUnit;
  const value = readInteger(body, field);
  const fallback =
    field === 'AccessTokenValidity'
      ? DEFAULT_ACCESS_TOKEN_VALIDITY
      : field === 'IdTokenValidity'
        ? DEFAULT_ID_TOKEN_VALIDITY
        : DEFAULT_REFRESH_TOKEN_VALIDITY;
  // Cognito replaces a RefreshTokenValidity of 0 with its default (API reference); absent means default too.
  if (value === undefined || (field === 'RefreshTokenValidity' && value === 0)) return fallback;
  const lifetime = { value, unit };
  const seconds = lifetimeSeconds(lifetime);
  const range = RANGES[field];
  if (seconds < range.min || seconds > range.max) {
    throw new CognitoError(
      'InvalidParameterException',
      `${field} must be between ${range.text} (${value} ${unit} given).`,
    );
  }
  return lifetime;
}

/** The settings as CreateUserPoolClient and DescribeUserPoolClient answer them. */
export function describeClientSignInSettings(client: AppClient): JsonObject {
  return {
    ExplicitAuthFlows: [...client.authFlows],
    AccessTokenValidity: client.accessTokenValidity.value,
    IdTokenValidity: client.idTokenValidity.value,
    RefreshTokenValidity: client.refreshTokenValidity.value,
    TokenValidityUnits: {
      AccessToken: client.accessTokenValidity.unit,
      IdToken: client.idTokenValidity.unit,
      RefreshToken: client.refreshTokenValidity.unit,
    },
    AuthSessionValidity: client.authSessionValidityMinutes,
    EnableTokenRevocation: true,
    RefreshTokenRotation: client.refreshTokenRotation
      ? { Feature: 'ENABLED', RetryGracePeriodSeconds: client.refreshTokenRotation.retryGracePeriodSeconds }
      : { Feature: 'DISABLED' },
  };
}

// The client flow that lets each InitiateAuth AuthFlow through, in ALLOW_ terms and in legacy terms. Legacy
// clients always allowed refresh and SRP; only the password flow had to be listed.
const PERMITTING: Readonly<Record<string, { allow: ExplicitAuthFlow; legacy: boolean | ExplicitAuthFlow }>> =
  {
    USER_AUTH: { allow: 'ALLOW_USER_AUTH', legacy: false },
    USER_PASSWORD_AUTH: { allow: 'ALLOW_USER_PASSWORD_AUTH', legacy: 'USER_PASSWORD_AUTH' },
    USER_SRP_AUTH: { allow: 'ALLOW_USER_SRP_AUTH', legacy: true },
    REFRESH_TOKEN_AUTH: { allow: 'ALLOW_REFRESH_TOKEN_AUTH', legacy: true },
    REFRESH_TOKEN: { allow: 'ALLOW_REFRESH_TOKEN_AUTH', legacy: true },
    CUSTOM_AUTH: { allow: 'ALLOW_CUSTOM_AUTH', legacy: 'CUSTOM_AUTH_FLOW_ONLY' },
  };

/** Refuses an AuthFlow the client does not allow, in Cognito's words ("<flow> flow not enabled for this client"). */
export function requireAuthFlow(client: AppClient, authFlow: string): void {
  const rule = PERMITTING[authFlow];
  const legacyClient = client.authFlows.some((flow) => LEGACY_FLOWS.includes(flow));
  const allowed =
    rule !== undefined &&
    (legacyClient
      ? rule.legacy === true || (rule.legacy !== false && client.authFlows.includes(rule.legacy))
      : client.authFlows.includes(rule.allow));
  if (!allowed) {
    throw new CognitoError('InvalidParameterException', `${authFlow} flow not enabled for this client`);
  }
}
