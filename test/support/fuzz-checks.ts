// What the fuzz tests (test/integration/fuzz/) check of every answer: the documented codes and shapes,
// no echo or log of a value sent, Cognito's own rules for what reaches it, and each input's expected verdict.
import fc from 'fast-check';
import { expect } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { phoneRefusal, phoneUsername } from '../../src/spend-guard/phone-policy';
import { type GraphQLResponse, type Harness } from './gateway-harness';
import {
  CONFIRM_SIGN_UP,
  confirmSignUp,
  RESEND_CONFIRMATION_CODE,
  RESPOND_TO_SIGN_IN_CHALLENGE,
  resend,
  respondToSignInChallenge,
  SIGN_IN,
  SIGN_UP,
  signIn,
  signUp,
} from './user-pool-requests';

export const DOCUMENTED_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'PERSISTED_DOCUMENT_REQUIRED',
  'PERSISTED_DOCUMENT_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
  'USER_NOT_FOUND',
  'USERNAME_EXISTS',
  'INVALID_PASSWORD',
  'CODE_MISMATCH',
  'CODE_EXPIRED',
  'ALIAS_EXISTS',
  'PHONE_NUMBER_NOT_ALLOWED',
  'ALREADY_CONFIRMED',
  'USER_NOT_CONFIRMED',
  'PASSWORD_RESET_REQUIRED',
  'SESSION_EXPIRED',
  'MFA_METHOD_NOT_FOUND',
  'REJECTED_BY_TRIGGER',
  'CODE_DELIVERY_FAILED',
  'LIMIT_EXCEEDED',
  'TOO_MANY_REQUESTS',
  'RATE_LIMITED',
  'NOT_AUTHORIZED',
  'FORBIDDEN',
  'UPSTREAM_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
]);

// The oracle's own statement of Cognito's rules (deliberately not imported from src/).
export const COGNITO_USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
/**
 * AttributeNameType: the username's characters in pools created before May 2024; newer pools also allow
 * whitespace. The gateway holds every pool to the older rule.
 */
export const COGNITO_ATTRIBUTE_NAME = COGNITO_USERNAME;
/** ConfirmationCodeType's [\S]+, Java's \S: no ASCII whitespace (the gateway refuses all whitespace). */
export const COGNITO_CONFIRMATION_CODE = /^[^ \t\n\v\f\r]+$/;
export const ENDPOINT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const BODY_LIMIT_BYTES = 64 * 1024;
export const MAX_ENTRIES = 20;
export const MAX_KEY = 64;
export const MAX_VALUE = 1024;
export const MAX_ENCODED_DATA = 16_384;
// signUp and confirmSignUp: the schema's limits, in UTF-16 code units as Cognito counts them.
export const MAX_PASSWORD = 256;
export const MAX_ATTRIBUTES = 100;
export const MAX_ATTRIBUTE_NAME = 32;
export const MAX_ATTRIBUTE_VALUE = 2048;
export const MAX_CONFIRMATION_CODE = 2048;
/** The stand-in pool's default password policy: at least 8 characters (UTF-16 units, as it counts them). */
export const POOL_PASSWORD_MIN = 8;
// signIn and respondToSignInChallenge: the schema's limits, in UTF-16 code units.
export const MAX_SESSION = 2048;
export const MAX_SIGN_IN_CODE = 64;
export const MAX_CHALLENGE_RESPONSE = 4096;
/** The SignInFactor enum: signIn's preferredChallenge, and the answers SELECT_CHALLENGE takes. */
export const SIGN_IN_FACTORS = ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP'] as const;
/** The SignInChallenge enum: respondToSignInChallenge's challenge and answer. */
export const SIGN_IN_CHALLENGES = [
  'NEW_PASSWORD_REQUIRED',
  'SMS_MFA',
  'EMAIL_OTP',
  'SMS_OTP',
  'SOFTWARE_TOKEN_MFA',
  'SELECT_CHALLENGE',
  'PASSWORD',
  'SELECT_MFA_TYPE',
  'MFA_SETUP',
  'PASSWORD_SRP',
  'WEB_AUTHN',
  'CUSTOM_CHALLENGE',
  'DEVICE_SRP_AUTH',
  'UNSUPPORTED',
] as const;
/** The challenges answered with a code, and the ChallengeResponses field that carries it. */
export const CODE_CHALLENGES: Readonly<Record<string, string>> = {
  SMS_MFA: 'SMS_MFA_CODE',
  EMAIL_OTP: 'EMAIL_OTP_CODE',
  SMS_OTP: 'SMS_OTP_CODE',
  SOFTWARE_TOKEN_MFA: 'SOFTWARE_TOKEN_MFA_CODE',
};
export const UNKNOWN_USER = 'fuzz.nobody@example.com';

// CI replays one fixed seed so that a red build always means a change, not a lucky draw; explore new inputs
// locally with FUZZ_SEED=random (or a number to replay a failure).
export const FIXED_SEED = 20261126;
export const seed =
  process.env.FUZZ_SEED === 'random'
    ? undefined
    : process.env.FUZZ_SEED === undefined
      ? FIXED_SEED
      : Number(process.env.FUZZ_SEED);
/**
 * Shrinking over HTTP can take long for big inputs; past the time limit fast-check stops and reports the
 * smallest counterexample found so far (still a failure). A passing property takes a few seconds.
 */
export const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns,
  interruptAfterTimeLimit: 15_000,
  markInterruptAsFailure: true,
  ...(seed !== undefined && { seed }),
});

/** Unicode code points: a surrogate pair counts one, and so does a lone surrogate. */
export const codePoints = (s: string) => [...s].length;
/** UTF-16 code units, as Cognito and the schema count: an emoji counts two. */
export const withinUnits = (s: string, min: number, max: number) => s.length >= min && s.length <= max;

export interface ResponseError {
  message?: unknown;
  extensions?: Record<string, unknown>;
}

export interface UpstreamBody {
  ClientId?: unknown;
  Username?: unknown;
  SecretHash?: unknown;
  ClientMetadata?: unknown;
  UserContextData?: { EncodedData?: unknown; IpAddress?: unknown };
  AnalyticsMetadata?: { AnalyticsEndpointId?: unknown };
  Password?: unknown;
  UserAttributes?: unknown;
  ValidationData?: unknown;
  ConfirmationCode?: unknown;
  ForceAliasCreation?: unknown;
  AuthFlow?: unknown;
  AuthParameters?: Record<string, unknown>;
  Session?: unknown;
  ChallengeName?: unknown;
  ChallengeResponses?: Record<string, unknown>;
}

export const ANSWER_TIMEOUT_MS = 5_000;

/** POSTs through the harness, failing the run (instead of hanging the property) when no answer comes. */
export async function post(
  h: Harness,
  body: unknown,
  headers?: Record<string, string>,
): Promise<GraphQLResponse> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)),
      ANSWER_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([h.graphql(body, headers), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function errorsOf(res: GraphQLResponse): ResponseError[] {
  return Array.isArray(res.body?.errors) ? res.body.errors : [];
}

export function codesOf(res: GraphQLResponse): unknown[] {
  return errorsOf(res).map((e) => e.extensions?.code);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function stringLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringLeaves(v, out);
  else if (isPlainObject(value)) for (const v of Object.values(value)) stringLeaves(v, out);
  return out;
}

export function objectKeys(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const v of value) objectKeys(v, out);
  else if (isPlainObject(value))
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      objectKeys(v, out);
    }
  return out;
}

export const distinct = (values: readonly string[]) => new Set(values).size === values.length;

/**
 * Every answer, whatever was sent: no 5xx; JSON with `data` or `errors` (non-2xx: a non-empty `errors`);
 * documented codes only, and never INTERNAL_SERVER_ERROR; no stack trace, no `stacktrace`/`exception`
 * extension, no source or node_modules paths (unless the request itself contained that text, which GraphQL
 * syntax errors may quote).
 */
export function expectWellFormed(res: GraphQLResponse, requestText: string): void {
  const text = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  expect(res.status, `HTTP status (body: ${text.slice(0, 300)})`).toBeLessThan(500);
  expect(isPlainObject(res.body), `body is a JSON object (got: ${text.slice(0, 300)})`).toBe(true);
  if (res.status >= 200 && res.status < 300) {
    expect('data' in res.body || 'errors' in res.body, `2xx body has data or errors: ${text}`).toBe(true);
  } else {
    expect(errorsOf(res).length, `non-2xx body has errors: ${text}`).toBeGreaterThan(0);
  }
  if ('errors' in res.body) expect(Array.isArray(res.body.errors), `errors is an array: ${text}`).toBe(true);
  for (const error of errorsOf(res)) {
    expect(typeof error.message, `error message is a string: ${text}`).toBe('string');
    const code = error.extensions?.code;
    expect(DOCUMENTED_CODES.has(code as string), `documented code (got ${String(code)}): ${text}`).toBe(true);
    expect(code, `no INTERNAL_SERVER_ERROR: ${text}`).not.toBe('INTERNAL_SERVER_ERROR');
    expect(error.extensions ?? {}, `no stacktrace extension: ${text}`).not.toHaveProperty('stacktrace');
    expect(error.extensions ?? {}, `no exception extension: ${text}`).not.toHaveProperty('exception');
  }
  expect(text, 'no stack frames').not.toMatch(/ {4}at |\bat [^\s()]+ \([^)]*:\d+:\d+\)/);
  for (const path of ['/src/', 'node_modules', '.ts:', 'dist/']) {
    if (!requestText.includes(path)) expect(text, `no "${path}" in the body`).not.toContain(path);
  }
}

/** Error text must not quote any 8-code-point stretch of a value that was sent (the fixed texts excepted). */
export function expectNoEcho(
  res: GraphQLResponse,
  values: string[],
  vocabulary: string,
  exclude: Set<string>,
): void {
  const WINDOW = 8;
  const leaves = stringLeaves(res.body?.errors).join('\n');
  // The stretches of the answer that are not fixed text; then look for any of them in the values sent.
  const points = [...leaves];
  const suspicious = new Set<string>();
  for (let i = 0; i + WINDOW <= points.length; i++) {
    const window = points.slice(i, i + WINDOW).join('');
    if (window.trim() !== '' && !vocabulary.includes(window)) suspicious.add(window);
  }
  if (suspicious.size === 0) return;
  for (const value of values) {
    if (exclude.has(value)) continue;
    const valuePoints = [...value];
    for (let i = 0; i + WINDOW <= valuePoints.length; i++) {
      const window = valuePoints.slice(i, i + WINDOW).join('');
      if (suspicious.has(window))
        expect.fail(`error text quotes ${JSON.stringify(window)} of a value: ${leaves}`);
    }
  }
}

/**
 * A distinctive value (a username, password or code that is not itself part of the gateway's fixed texts) is
 * never quoted whole: not in any error from 4 code points, nowhere in the answer (data included) from 8.
 */
export function expectNotQuoted(
  res: GraphQLResponse,
  value: unknown,
  what: string,
  vocabulary: string,
): void {
  if (typeof value !== 'string' || codePoints(value) <= 3 || vocabulary.includes(value)) return;
  const errorText = stringLeaves(res.body?.errors).join('\n');
  expect(errorText.includes(value), `the ${what} is quoted in: ${errorText}`).toBe(false);
  if (codePoints(value) >= 8) {
    const answer = stringLeaves(res.body).join('\n');
    expect(answer.includes(value), `the ${what} is in the answer: ${answer.slice(0, 500)}`).toBe(false);
  }
}

/**
 * A distinctive secret (8 code points or more, in no log line before this request) is in no log line,
 * as sent or JSON-escaped. True when it was checked.
 */
export function expectNotLogged(h: Harness, secret: unknown, logsBefore: string, what: string): boolean {
  if (typeof secret !== 'string' || codePoints(secret) < 8) return false;
  const forms = [secret, JSON.stringify(secret).slice(1, -1)];
  if (forms.some((form) => logsBefore.includes(form))) return false;
  const logs = h.logs.join('');
  for (const form of forms) {
    const at = logs.indexOf(form);
    expect(at, `the ${what} is logged: ${logs.slice(Math.max(0, at - 200), at + 200)}`).toBe(-1);
  }
  return true;
}

/**
 * Cognito's UsernameType. Its 128 is counted in UTF-16 code units, as src/user-pool-calls/shared/username.ts documents
 * and the stand-in enforces (an emoji counts two); that bound also keeps every name within 128 code points.
 */
export function isValidUsername(username: string): boolean {
  return withinUnits(username, 1, 128) && COGNITO_USERNAME.test(username);
}

export function isValidAttributeName(name: unknown): boolean {
  return (
    typeof name === 'string' && withinUnits(name, 1, MAX_ATTRIBUTE_NAME) && COGNITO_ATTRIBUTE_NAME.test(name)
  );
}

// ---- what reaches Cognito ------------------------------------------------------------------------------------

/** The fields of every request: the client, and what the input and the caller's context add. */
const CONTEXT_FIELDS = ['ClientId', 'ClientMetadata', 'UserContextData', 'AnalyticsMetadata'];
export const SHARED_FIELDS = [...CONTEXT_FIELDS, 'Username', 'SecretHash'];

interface Identity {
  username: unknown;
  secretHash: unknown;
}

/** The sign-in actions carry USERNAME and SECRET_HASH in a parameter map. */
function identityIn(map: 'AuthParameters' | 'ChallengeResponses'): (body: UpstreamBody) => Identity {
  return (body) => ({ username: body[map]?.USERNAME, secretHash: body[map]?.SECRET_HASH });
}

interface ActionRules {
  /** The fields the request may carry besides the shared ones (besides CONTEXT_FIELDS with `identity`). */
  fields: readonly string[];
  /** Where the request names the user and carries the SecretHash, when not in Username and SecretHash. */
  identity?(body: UpstreamBody): Identity;
  expectValid(body: UpstreamBody): void;
}

/** The fields each Cognito action's request may carry besides the shared ones, and Cognito's rules for them. */
export const ACTIONS: Record<string, ActionRules> = {
  ResendConfirmationCode: { fields: [], expectValid: () => {} },
  SignUp: { fields: ['Password', 'UserAttributes', 'ValidationData'], expectValid: expectValidSignUpFields },
  ConfirmSignUp: {
    fields: ['ConfirmationCode', 'ForceAliasCreation'],
    expectValid: expectValidConfirmSignUpFields,
  },
  InitiateAuth: {
    fields: ['AuthFlow', 'AuthParameters', 'Session'],
    identity: identityIn('AuthParameters'),
    expectValid: expectValidInitiateAuthFields,
  },
  RespondToAuthChallenge: {
    fields: ['ChallengeName', 'Session', 'ChallengeResponses'],
    identity: identityIn('ChallengeResponses'),
    expectValid: expectValidRespondToAuthChallengeFields,
  },
};

/** Every call Cognito received is one Cognito would accept from this client. */
export function expectValidUpstreamCalls(h: Harness): void {
  for (const call of h.standIn.calls) {
    expect(Object.hasOwn(ACTIONS, call.action), `action ${call.action}`).toBe(true);
    const action = ACTIONS[call.action];
    const body = call.body as UpstreamBody;
    const allowed = [...(action?.identity ? CONTEXT_FIELDS : SHARED_FIELDS), ...(action?.fields ?? [])];
    for (const field of Object.keys(body)) expect(allowed, `${call.action} field`).toContain(field);
    expectValidIdentity(
      h,
      action?.identity?.(body) ?? { username: body.Username, secretHash: body.SecretHash },
    );
    expectValidContextFields(h, body);
    action?.expectValid(body);
  }
}

/** The user as Cognito's UsernameType allows, and the SecretHash over that name. */
export function expectValidIdentity(h: Harness, identity: Identity): void {
  expect(typeof identity.username, 'Username is a string').toBe('string');
  const username = identity.username as string;
  const described = `upstream Username ${JSON.stringify(username)} (${codePoints(username)} code points, ${username.length} UTF-16 units)`;
  expect(
    COGNITO_USERNAME.test(username),
    `${described} has only letters, marks, symbols, numbers, punctuation`,
  ).toBe(true);
  expect(codePoints(username) >= 1 && codePoints(username) <= 128, `${described} is 1-128 code points`).toBe(
    true,
  );
  expect(isValidUsername(username), `${described} is 1-128 UTF-16 code units`).toBe(true);
  expect(typeof identity.secretHash, 'SecretHash is a string').toBe('string');
  expect(identity.secretHash).toBe(computeSecretHash(username, h.clientId, h.clientSecret));
}

/** The client, the metadata and the context data within Cognito's limits. */
export function expectValidContextFields(h: Harness, body: UpstreamBody): void {
  expect(body.ClientId).toBe(h.clientId);
  if (body.ClientMetadata !== undefined) {
    expect(isPlainObject(body.ClientMetadata), 'ClientMetadata is a map').toBe(true);
    const entries = Object.entries(body.ClientMetadata as Record<string, unknown>);
    expect(entries.length, 'ClientMetadata entries').toBeLessThanOrEqual(MAX_ENTRIES);
    for (const [key, value] of entries) {
      expect(
        codePoints(key) >= 1 && codePoints(key) <= MAX_KEY,
        `ClientMetadata key of ${codePoints(key)} code points: ${JSON.stringify(key.slice(0, 80))}`,
      ).toBe(true);
      expect(typeof value).toBe('string');
      expect(codePoints(value as string), 'ClientMetadata value code points').toBeLessThanOrEqual(MAX_VALUE);
    }
  }
  const encoded = body.UserContextData?.EncodedData;
  if (encoded !== undefined) {
    expect(typeof encoded).toBe('string');
    const n = codePoints(encoded as string);
    expect(n >= 1 && n <= MAX_ENCODED_DATA, `EncodedData of ${n} code points`).toBe(true);
  }
  const endpointId = body.AnalyticsMetadata?.AnalyticsEndpointId;
  if (body.AnalyticsMetadata !== undefined) {
    expect(typeof endpointId).toBe('string');
    expect(endpointId as string).toMatch(ENDPOINT_ID);
  }
}

/**
 * Password is held to the gateway's documented 1-256 units only: Cognito's own PasswordType pattern and the
 * pool's policy are Cognito's to enforce (INVALID_PASSWORD, or BAD_USER_INPUT for its field validation).
 */
export function expectValidSignUpFields(body: UpstreamBody): void {
  expect(typeof body.Password, 'Password is a string').toBe('string');
  const password = body.Password as string;
  expect(withinUnits(password, 1, MAX_PASSWORD), `Password of ${password.length} UTF-16 units`).toBe(true);
  for (const field of ['UserAttributes', 'ValidationData'] as const) {
    const list = body[field];
    if (list === undefined) continue;
    expect(Array.isArray(list), `${field} is a list`).toBe(true);
    const attributes = list as Array<Record<string, unknown>>;
    expect(attributes.length, `${field} entries`).toBeLessThanOrEqual(MAX_ATTRIBUTES);
    for (const attribute of attributes) {
      expect(Object.keys(attribute).sort(), `${field} entry fields`).toEqual(['Name', 'Value']);
      expect(
        isValidAttributeName(attribute.Name),
        `${field} name ${JSON.stringify(attribute.Name)} is 1-32 units of letters, marks, symbols, numbers, punctuation`,
      ).toBe(true);
      expect(typeof attribute.Value, `${field} value is a string`).toBe('string');
      const value = attribute.Value as string;
      expect(value.length, `${field} value UTF-16 units`).toBeLessThanOrEqual(MAX_ATTRIBUTE_VALUE);
    }
    expect(distinct(attributes.map((a) => a.Name as string)), `${field} names are distinct`).toBe(true);
  }
}

export function expectValidConfirmSignUpFields(body: UpstreamBody): void {
  expect(typeof body.ConfirmationCode, 'ConfirmationCode is a string').toBe('string');
  const code = body.ConfirmationCode as string;
  const described = `ConfirmationCode ${JSON.stringify(code.slice(0, 80))} (${code.length} UTF-16 units)`;
  expect(withinUnits(code, 1, MAX_CONFIRMATION_CODE), `${described} is 1-2048 units`).toBe(true);
  expect(code, `${described} has no whitespace`).toMatch(COGNITO_CONFIRMATION_CODE);
  if (body.ForceAliasCreation !== undefined) expect(typeof body.ForceAliasCreation).toBe('boolean');
}

function expectStringWithin(what: string, value: unknown, min: number, max: number): void {
  expect(typeof value, `${what} is a string`).toBe('string');
  const units = (value as string).length;
  expect(units >= min && units <= max, `${what} of ${units} UTF-16 units is ${min}-${max}`).toBe(true);
}

/**
 * USER_AUTH with one way in: the password (PREFERRED_CHALLENGE PASSWORD), a one-time code's factor, the
 * confirmation Session alone, or nothing more. The Session is held to the gateway's documented 1-2048 units.
 */
export function expectValidInitiateAuthFields(body: UpstreamBody): void {
  expect(body.AuthFlow).toBe('USER_AUTH');
  const parameters = body.AuthParameters ?? {};
  for (const name of Object.keys(parameters)) {
    expect(['USERNAME', 'SECRET_HASH', 'PREFERRED_CHALLENGE', 'PASSWORD'], 'AuthParameters').toContain(name);
  }
  const { PREFERRED_CHALLENGE: preferred, PASSWORD: password } = parameters;
  if (preferred !== undefined) expect(SIGN_IN_FACTORS, 'PREFERRED_CHALLENGE').toContain(preferred);
  if (password === undefined) expect(preferred, 'PREFERRED_CHALLENGE without PASSWORD').not.toBe('PASSWORD');
  else {
    expect(preferred, 'PASSWORD goes with PREFERRED_CHALLENGE PASSWORD').toBe('PASSWORD');
    expectStringWithin('PASSWORD', password, 1, MAX_PASSWORD);
  }
  if (body.Session !== undefined) {
    expect(preferred, 'Session goes alone').toBeUndefined();
    expectStringWithin('Session', body.Session, 1, MAX_SESSION);
  }
}

/** The Session, and exactly the responses the challenge takes: a code, a new password, or a factor chosen. */
export function expectValidRespondToAuthChallengeFields(body: UpstreamBody): void {
  expectStringWithin('Session', body.Session, 1, MAX_SESSION);
  const challenge = body.ChallengeName as string;
  const { USERNAME: _username, SECRET_HASH: _hash, ...responses } = body.ChallengeResponses ?? {};
  const codeField = codeFieldOf(challenge);
  if (codeField !== undefined) {
    expect(Object.keys(responses), `${challenge} responses`).toEqual([codeField]);
    expectStringWithin(codeField, responses[codeField], 1, MAX_SIGN_IN_CODE);
    expect(responses[codeField], `${codeField} has no whitespace`).toMatch(/^\S+$/);
  } else if (challenge === 'NEW_PASSWORD_REQUIRED') {
    const { NEW_PASSWORD: newPassword, ...attributes } = responses;
    expectStringWithin('NEW_PASSWORD', newPassword, 1, MAX_PASSWORD);
    for (const [field, value] of Object.entries(attributes)) {
      const name = field.replace(/^userAttributes\./, '');
      expect(field !== name && isValidAttributeName(name), `${field} names an attribute`).toBe(true);
      expectStringWithin(field, value, 0, MAX_ATTRIBUTE_VALUE);
    }
  } else {
    expect(challenge, 'a challenge the gateway answers').toBe('SELECT_CHALLENGE');
    expect(SIGN_IN_FACTORS, 'ANSWER').toContain(responses.ANSWER);
    const password = responses.ANSWER === 'PASSWORD';
    expect(Object.keys(responses).sort()).toEqual(password ? ['ANSWER', 'PASSWORD'] : ['ANSWER']);
    if (password) expectStringWithin('PASSWORD', responses.PASSWORD, 1, MAX_PASSWORD);
  }
}

export function firstCallBody(h: Harness): UpstreamBody {
  return (h.standIn.calls[0]?.body ?? {}) as UpstreamBody;
}

// ---- the oracle: which inputs the gateway accepts, and the request each one becomes ---------------------------

/**
 * 'ambiguous': within the limit in code points but not in UTF-16 code units (astral characters). The README's
 * metadata and context-data limits say "characters" without a unit, so either answer is accepted there, but
 * whatever reaches Cognito must still be within the limit in code points. The other limits are Cognito's
 * own and stated in UTF-16 units: no ambiguity.
 */
export type Verdict = 'wrong-type' | 'invalid' | 'ambiguous' | 'valid';

/** GraphQL's coercion fails first, then validation; an input is valid only when every part is. */
export function combine(verdicts: readonly Verdict[]): Verdict {
  for (const verdict of ['wrong-type', 'invalid', 'ambiguous'] as const) {
    if (verdicts.includes(verdict)) return verdict;
  }
  return 'valid';
}

export function lengthVerdict(value: string, min: number, max: number): Verdict {
  const n = codePoints(value);
  if (n < min || n > max) return 'invalid';
  return value.length <= max ? 'valid' : 'ambiguous';
}

/** A String field (required: null and absent are wrong types) of `min`-`max` UTF-16 units matching `pattern`. */
export function stringVerdict(value: unknown, min: number, max: number, pattern?: RegExp): Verdict {
  if (typeof value !== 'string') return 'wrong-type';
  return withinUnits(value, min, max) && (pattern?.test(value) ?? true) ? 'valid' : 'invalid';
}

/** Present: neither absent nor null (GraphQL and the gateway's validation treat both as no value). */
export const given = (value: unknown): boolean => value !== undefined && value !== null;

/** The same for a nullable String: absent and null are fine. */
export function optionalStringVerdict(value: unknown, min: number, max: number, pattern?: RegExp): Verdict {
  return given(value) ? stringVerdict(value, min, max, pattern) : 'valid';
}

/** An enum field as a variable gives it: one of the value names (a required one also present). */
export function enumVerdict(value: unknown, values: readonly string[], required = false): Verdict {
  if (!given(value)) return required ? 'wrong-type' : 'valid';
  return typeof value === 'string' && values.includes(value) ? 'valid' : 'wrong-type';
}

export type InputFields = Record<string, 'required' | 'optional'>;

/** What GraphQL's input coercion accepts for an input object with exactly these String fields. */
export function isInputObject(value: unknown, fields: InputFields): boolean {
  if (!isPlainObject(value)) return false;
  if (Object.keys(value).some((k) => !Object.hasOwn(fields, k))) return false;
  return Object.entries(fields).every(([name, kind]) => {
    const v = value[name];
    if (v === undefined || v === null) return kind === 'optional';
    return typeof v === 'string';
  });
}

/**
 * What GraphQL's input coercion makes of a nullable list of such input objects: nothing is an empty list, a
 * non-list value a list of one; null when some item is not such an object.
 */
export function listItems<T>(value: unknown, fields: InputFields): T[] | null {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.every((item) => isInputObject(item, fields)) ? (items as T[]) : null;
}

export const metadataEntriesOf = (value: unknown) =>
  listItems<{ key: string; value: string }>(value, { key: 'required', value: 'required' });
export const attributesOf = (value: unknown) =>
  listItems<{ name: string; value: string }>(value, { name: 'required', value: 'required' });

export type Input = Record<string, unknown>;

/** The fields every user-pool call shares: username, clientMetadata, userContextData. */
export function sharedVerdicts(input: Input): Verdict[] {
  const { username, clientMetadata, userContextData } = input;
  const verdicts: Verdict[] = [stringVerdict(username, 1, 128, COGNITO_USERNAME)];
  const entries = metadataEntriesOf(clientMetadata);
  if (entries === null) verdicts.push('wrong-type');
  else {
    if (entries.length > MAX_ENTRIES || !distinct(entries.map((e) => e.key))) verdicts.push('invalid');
    for (const { key, value } of entries) {
      verdicts.push(lengthVerdict(key, 1, MAX_KEY), lengthVerdict(value, 0, MAX_VALUE));
    }
  }
  if (userContextData !== undefined && userContextData !== null) {
    if (!isInputObject(userContextData, { encodedData: 'required' })) verdicts.push('wrong-type');
    else {
      const { encodedData } = userContextData as { encodedData: string };
      verdicts.push(lengthVerdict(encodedData, 1, MAX_ENCODED_DATA));
    }
  }
  return verdicts;
}

/** A list of attributes; signUp's names must be distinct, a new password's attributes need not. */
export function attributeVerdicts(value: unknown, distinctNames = true): Verdict[] {
  const attributes = attributesOf(value);
  if (attributes === null) return ['wrong-type'];
  const verdicts = attributes.flatMap(({ name, value }) => [
    stringVerdict(name, 1, MAX_ATTRIBUTE_NAME, COGNITO_ATTRIBUTE_NAME),
    stringVerdict(value, 0, MAX_ATTRIBUTE_VALUE),
  ]);
  if (attributes.length > MAX_ATTRIBUTES || (distinctNames && !distinct(attributes.map((a) => a.name))))
    verdicts.push('invalid');
  return verdicts;
}

export const classifyResend = (input: Input): Verdict => combine(sharedVerdicts(input));

export function classifySignUp(input: Input): Verdict {
  return combine([
    ...sharedVerdicts(input),
    stringVerdict(input.password, 1, MAX_PASSWORD),
    ...attributeVerdicts(input.userAttributes),
    ...attributeVerdicts(input.validationData),
  ]);
}

export function classifyConfirmSignUp(input: Input): Verdict {
  const force = input.forceAliasCreation;
  return combine([
    ...sharedVerdicts(input),
    // No whitespace, as the schema documents: any character JavaScript's \s matches.
    stringVerdict(input.confirmationCode, 1, MAX_CONFIRMATION_CODE, /^\S+$/),
    force === undefined || force === null || typeof force === 'boolean' ? 'valid' : 'wrong-type',
  ]);
}

/** ClientMetadata and UserContextData as an accepted input gives them (absent ones left out). */
function expectedContextFields(input: Input): Record<string, unknown> {
  const entries = metadataEntriesOf(input.clientMetadata) ?? [];
  const encodedData = (input.userContextData as { encodedData?: string } | null | undefined)?.encodedData;
  return {
    ...(entries.length > 0 && { ClientMetadata: Object.fromEntries(entries.map((e) => [e.key, e.value])) }),
    ...(encodedData !== undefined && { UserContextData: { EncodedData: encodedData } }),
  };
}

/** USERNAME and SECRET_HASH, as the sign-in actions carry them in their parameter maps. */
function expectedIdentityParameters(h: Harness, input: Input): Record<string, string> {
  const username = input.username as string;
  return { USERNAME: username, SECRET_HASH: computeSecretHash(username, h.clientId, h.clientSecret) };
}

/** A proof-of-work response: checked for its length whether or not a challenge is needed. */
const challengeResponseVerdict = (input: Input) =>
  optionalStringVerdict(input.challengeResponse, 1, MAX_CHALLENGE_RESPONSE);

/**
 * signIn: one way in (wayInProblem in sign-in/input.ts): the session alone; the password, with preferredChallenge
 * absent or PASSWORD; a one-time code's factor without the password; or the username alone.
 */
export function classifySignIn(input: Input): Verdict {
  const { password, session, preferredChallenge } = input;
  const oneWayIn = given(session)
    ? !given(password) && !given(preferredChallenge)
    : given(password)
      ? !given(preferredChallenge) || preferredChallenge === 'PASSWORD'
      : preferredChallenge !== 'PASSWORD';
  return combine([
    ...sharedVerdicts(input),
    challengeResponseVerdict(input),
    optionalStringVerdict(password, 1, MAX_PASSWORD),
    optionalStringVerdict(session, 1, MAX_SESSION),
    enumVerdict(preferredChallenge, SIGN_IN_FACTORS),
    oneWayIn ? 'valid' : 'invalid',
  ]);
}

/**
 * respondToSignInChallenge: the field its challenge needs (answerProblem in respond-to-sign-in-challenge/input.ts):
 * a code, a new password, or a factor chosen (the password with it, for PASSWORD); other challenges none.
 */
export function classifyRespondToSignInChallenge(input: Input): Verdict {
  const { challenge, answer } = input;
  const answered =
    codeFieldOf(challenge) !== undefined
      ? given(input.code)
      : challenge === 'NEW_PASSWORD_REQUIRED'
        ? given(input.newPassword)
        : challenge === 'SELECT_CHALLENGE' &&
          (SIGN_IN_FACTORS as readonly unknown[]).includes(answer) &&
          (answer !== 'PASSWORD' || given(input.password));
  return combine([
    ...sharedVerdicts(input),
    challengeResponseVerdict(input),
    enumVerdict(challenge, SIGN_IN_CHALLENGES, true),
    stringVerdict(input.session, 1, MAX_SESSION),
    // No whitespace, as the schema documents: any character JavaScript's \s matches.
    optionalStringVerdict(input.code, 1, MAX_SIGN_IN_CODE, /^\S+$/),
    optionalStringVerdict(input.newPassword, 1, MAX_PASSWORD),
    ...attributeVerdicts(input.userAttributes, false),
    enumVerdict(answer, SIGN_IN_CHALLENGES),
    optionalStringVerdict(input.password, 1, MAX_PASSWORD),
    answered ? 'valid' : 'invalid',
  ]);
}

/** The request an accepted input becomes: the shared fields, then the call's own (absent ones left out). */
export function expectedRequest(
  h: Harness,
  input: Input,
  own: Record<string, unknown> = {},
): Record<string, unknown> {
  const { USERNAME, SECRET_HASH } = expectedIdentityParameters(h, input);
  return {
    ClientId: h.clientId,
    Username: USERNAME,
    SecretHash: SECRET_HASH,
    ...expectedContextFields(input),
    ...own,
  };
}

export function attributeTypes(value: unknown): Array<{ Name: string; Value: string }> | undefined {
  const attributes = (attributesOf(value) ?? []).map((a) => ({ Name: a.name, Value: a.value }));
  return attributes.length > 0 ? attributes : undefined;
}

export function expectedSignUpRequest(h: Harness, input: Input): Record<string, unknown> {
  const userAttributes = attributeTypes(input.userAttributes);
  const validationData = attributeTypes(input.validationData);
  return expectedRequest(h, input, {
    Password: input.password,
    ...(userAttributes && { UserAttributes: userAttributes }),
    ...(validationData && { ValidationData: validationData }),
  });
}

/**
 * InitiateAuth USER_AUTH for an accepted signIn input: the password as the preferred challenge, else the
 * factor asked for, and the confirmation session at the top (sign-in/call.ts).
 */
export function expectedInitiateAuthRequest(h: Harness, input: Input): Record<string, unknown> {
  const { password, session, preferredChallenge } = input;
  return {
    ClientId: h.clientId,
    ...expectedContextFields(input),
    AuthFlow: 'USER_AUTH',
    AuthParameters: {
      ...expectedIdentityParameters(h, input),
      ...(given(password)
        ? { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: password }
        : given(preferredChallenge) && { PREFERRED_CHALLENGE: preferredChallenge }),
    },
    ...(given(session) && { Session: session }),
  };
}

/** The ChallengeResponses field of a code challenge, or undefined. */
export const codeFieldOf = (challenge: unknown): string | undefined =>
  typeof challenge === 'string' && Object.hasOwn(CODE_CHALLENGES, challenge)
    ? CODE_CHALLENGES[challenge]
    : undefined;

/** RespondToAuthChallenge for an accepted input: the session, and the responses its challenge takes. */
export function expectedRespondToAuthChallengeRequest(h: Harness, input: Input): Record<string, unknown> {
  const { challenge, answer } = input;
  const codeField = codeFieldOf(challenge);
  const responses = codeField
    ? { [codeField]: input.code }
    : challenge === 'NEW_PASSWORD_REQUIRED'
      ? {
          NEW_PASSWORD: input.newPassword,
          ...Object.fromEntries(
            (attributesOf(input.userAttributes) ?? []).map((a) => [`userAttributes.${a.name}`, a.value]),
          ),
        }
      : { ANSWER: answer, ...(answer === 'PASSWORD' && { PASSWORD: input.password }) };
  return {
    ClientId: h.clientId,
    ...expectedContextFields(input),
    ChallengeName: challenge,
    Session: input.session,
    ChallengeResponses: { ...expectedIdentityParameters(h, input), ...responses },
  };
}

export function expectedConfirmSignUpRequest(h: Harness, input: Input): Record<string, unknown> {
  const force = input.forceAliasCreation;
  return expectedRequest(h, input, {
    ConfirmationCode: input.confirmationCode,
    ...(typeof force === 'boolean' && { ForceAliasCreation: force }),
  });
}

export const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

export function expectBadUserInput(res: GraphQLResponse, status: number): void {
  const text = JSON.stringify(res.body);
  expect(res.status, `HTTP status: ${text}`).toBe(status);
  const codes = codesOf(res);
  expect(codes.length, text).toBeGreaterThan(0);
  expect(new Set(codes), text).toEqual(new Set(['BAD_USER_INPUT']));
  expect(res.body.data ?? null, text).toBeNull();
}

/**
 * Sends `input` through `mutation` and holds the gateway to the oracle's verdict: a body over 64 KiB is
 * refused whole (413); an accepted input reaches Cognito once, as exactly the request `expected` describes;
 * any other gets BAD_USER_INPUT (a wrongly typed variable fails coercion, a value of the right type fails
 * validation; an inline literal of a wrong type fails GraphQL validation instead) and reaches no one. All are
 * answered 200: the harness's fetch accepts application/json, where GraphQL-over-HTTP asks a 200 for request
 * errors too. True when Cognito was called.
 */
export function expectRouted(
  h: Harness,
  sent: Sent,
  verdict: Verdict,
  expected: () => Record<string, unknown>,
): boolean {
  const { res, text } = sent;
  if (byteLength(text) > BODY_LIMIT_BYTES) {
    expect(res.status).toBe(413);
    expect(codesOf(res)).toEqual(['BAD_REQUEST']);
    expect(h.standIn.calls).toHaveLength(0);
    return false;
  }
  // An ambiguous length may go either way; what reaches Cognito is still checked against its rules.
  if (verdict === 'valid' || (verdict === 'ambiguous' && h.standIn.calls.length > 0)) {
    expect(h.standIn.calls, `a ${verdict} input, answered ${JSON.stringify(res.body)}`).toHaveLength(1);
    expect(firstCallBody(h)).toEqual(expected());
    return true;
  }
  if (verdict === 'wrong-type' && sent.inline) {
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(new Set(codesOf(res)), JSON.stringify(res.body)).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
  } else {
    expectBadUserInput(res, 200);
  }
  expect(h.standIn.calls, `${verdict} input reached Cognito`).toHaveLength(0);
  return false;
}

// ---- sending an input as a variable or inline ------------------------------------------------------------------

export const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/** A string an enum literal can spell (true, false and null are other literals). */
const isEnumName = (value: unknown): value is string =>
  typeof value === 'string' && GRAPHQL_NAME.test(value) && !['true', 'false', 'null'].includes(value);

/**
 * `value` as a GraphQL input literal; undefined where it has none that means the same: a lone surrogate
 * (graphql-js refuses its escape), an object key that is not a GraphQL name (it would change the document),
 * a number that is not finite. The object's `enumFields` are written as enum literals where they can be
 * (a string an enum variable would take), as strings otherwise.
 */
export function graphqlLiteral(
  value: unknown,
  enumFields: ReadonlySet<string> = new Set(),
): string | undefined {
  if (value === null || typeof value === 'boolean') return String(value);
  // JSON's escapes are GraphQL's; astral characters stay as they are.
  if (typeof value === 'string') return /\p{Cs}/u.test(value) ? undefined : JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const literal = graphqlLiteral(item);
      if (literal === undefined) return undefined;
      parts.push(literal);
    }
    return `[${parts.join(', ')}]`;
  }
  if (!isPlainObject(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const literal = enumFields.has(key) && isEnumName(item) ? item : graphqlLiteral(item);
    if (!GRAPHQL_NAME.test(key) || literal === undefined) return undefined;
    parts.push(`${key}: ${literal}`);
  }
  return `{ ${parts.join(', ')} }`;
}

/** `operation` (one `$input` variable) with the input inline instead; undefined when it has no literal. */
export function inlined(
  operation: string,
  input: Input,
  enumFields?: ReadonlySet<string>,
): string | undefined {
  const literal = graphqlLiteral(input, enumFields);
  if (literal === undefined) return undefined;
  return operation.replace(/\(\$input: \w+!\)/, '').replace('(input: $input)', () => `(input: ${literal})`);
}

export interface Mutation {
  query: string;
  request(input: Input): unknown;
  /** The input's enum fields, written inline as enum literals. */
  enumFields?: ReadonlySet<string>;
}
export const SIGN_UP_MUTATION: Mutation = { query: SIGN_UP, request: signUp };
export const CONFIRM_SIGN_UP_MUTATION: Mutation = { query: CONFIRM_SIGN_UP, request: confirmSignUp };
const SIGN_IN_ENUMS = new Set(['preferredChallenge']);
const RESPOND_ENUMS = new Set(['challenge', 'answer']);
export const SIGN_IN_MUTATION: Mutation = { query: SIGN_IN, request: signIn, enumFields: SIGN_IN_ENUMS };
export const RESPOND_TO_SIGN_IN_CHALLENGE_MUTATION: Mutation = {
  query: RESPOND_TO_SIGN_IN_CHALLENGE,
  request: respondToSignInChallenge,
  enumFields: RESPOND_ENUMS,
};

export interface Sent {
  res: GraphQLResponse;
  text: string;
  inline: boolean;
}

/** Sends `input` as the `$input` variable, or inline when asked and it has a literal; the answer is well-formed. */
export async function send(h: Harness, mutation: Mutation, input: Input, inline: boolean): Promise<Sent> {
  const query = inline ? inlined(mutation.query, input, mutation.enumFields) : undefined;
  const text = JSON.stringify(query === undefined ? mutation.request(input) : { query });
  const res = await post(h, text);
  expectWellFormed(res, text);
  return { res, text, inline: query !== undefined };
}

// ---- fixed texts: what the gateway answers for inputs that hold no such value -----------------------------------

export const VOCABULARY_USER = 'vocabulary.user@example.net';
export const VOCABULARY_PASSWORD = 'Vocabulary-Pass-1';
export const manyAttributes = (n: number) => Array.from({ length: n }, () => ({ name: '', value: '' }));
export const badAttributes = [
  { name: '', value: 'x'.repeat(2049) },
  { name: 'a b', value: '' },
  { name: 'n'.repeat(33), value: '' },
];

export const VOCABULARY_REQUESTS: unknown[] = [
  ...[
    { username: ' ' },
    { username: 'a'.repeat(129) },
    { username: '' },
    {
      username: 'jane',
      clientMetadata: Array.from({ length: 21 }, (_, i) => ({ key: `k${i}`, value: '' })),
    },
    { username: 'jane', clientMetadata: [{ key: '', value: 'x'.repeat(1025) }] },
    {
      username: 'jane',
      clientMetadata: [
        { key: 'a', value: '' },
        { key: 'a', value: '' },
      ],
    },
    { username: 'jane', userContextData: { encodedData: '' } },
    { username: 1 },
    { username: 'jane', clientMetadata: [{ key: 1, value: null, extra: 1 }] },
    { username: 'jane', userContextData: 1 },
    { username: UNKNOWN_USER },
  ].map(resend),
  // Signed up, then taken; a password too short for the pool; an email Cognito refuses.
  signUp({
    username: VOCABULARY_USER,
    password: VOCABULARY_PASSWORD,
    userAttributes: [{ name: 'email', value: VOCABULARY_USER }],
  }),
  signUp({ username: VOCABULARY_USER, password: VOCABULARY_PASSWORD }),
  signUp({ username: 'vocabulary.short', password: 'short' }),
  signUp({
    username: 'vocabulary.email',
    password: VOCABULARY_PASSWORD,
    userAttributes: [{ name: 'email', value: 'nope' }],
  }),
  signUp({ username: '', password: '', userAttributes: badAttributes, validationData: badAttributes }),
  signUp({
    username: 'jane',
    password: 'x'.repeat(257),
    userAttributes: manyAttributes(111),
    validationData: manyAttributes(111),
  }),
  signUp({
    username: 'jane',
    password: 'p',
    userAttributes: [
      { name: 'a', value: '' },
      { name: 'a', value: '' },
    ],
    validationData: [
      { name: 'a', value: '' },
      { name: 'a', value: '' },
    ],
  }),
  signUp({ username: 'jane', password: 1, userAttributes: [{ name: 1, value: null, extra: 1 }] }),
  signUp({ username: 'jane', password: null, validationData: 1 }),
  signUp({ username: 'jane' }),
  confirmSignUp({ username: 'jane', confirmationCode: '' }),
  confirmSignUp({ username: 'jane', confirmationCode: ' 1' }),
  confirmSignUp({ username: '', confirmationCode: 'x'.repeat(2049) }),
  confirmSignUp({ username: 'jane', confirmationCode: 1, forceAliasCreation: 'yes' }),
  confirmSignUp({ username: 'jane', confirmationCode: null, forceAliasCreation: 1 }),
  confirmSignUp({ username: 'jane' }),
  confirmSignUp({ username: UNKNOWN_USER, confirmationCode: '123456' }),
  confirmSignUp({ username: VOCABULARY_USER, confirmationCode: '000000' }),
  // graphql-js's own messages for wrongly typed literals.
  {
    query: inlined(SIGN_UP, {
      username: 'jane',
      password: null,
      userAttributes: [{ name: 'a', extra: 1 }],
      validationData: 1,
      clientMetadata: [{ key: 1, value: 'v' }],
      userContextData: 1,
    }),
  },
  { query: inlined(SIGN_UP, { username: 1 }) },
  { query: inlined(CONFIRM_SIGN_UP, { username: 'jane', confirmationCode: 1, forceAliasCreation: 'yes' }) },
  { query: inlined(CONFIRM_SIGN_UP, { username: 'jane', forceAliasCreation: [1] }) },
  // graphql-js's messages for the kinds of documents the body property assembles.
  {
    query: `query { resendConfirmationCode(input: { username: "jane" }) { __typename }
      resendConfirmationCode(input: $input) { __typename } signUp(input: $input) { userSub } }`,
  },
  {
    query: `mutation { confirmSignUp(input: { username: "jane", confirmationCode: "1" }) { confirmed }
      confirmSignUp(input: $input) { confirmed } signUp(input: $input) { userSub } }`,
  },
];

const JANE = { username: 'jane', session: 's' };

/**
 * The sign-in calls' fixed texts: each way in and each answer that does not hold together (they name the enum
 * values given), each bound, each wrongly typed value, and Cognito's answers to an unknown user, a dead
 * session, a wrong password and a user locked out. Collected after VOCABULARY_REQUESTS, which sign up the
 * user whose password is wrong.
 */
export const SIGN_IN_VOCABULARY_REQUESTS: unknown[] = [
  ...[
    { username: 'jane', password: 'p', session: 's' },
    { username: 'jane', preferredChallenge: 'PASSWORD' },
    { username: 'jane', password: 'p', preferredChallenge: 'EMAIL_OTP' },
    { username: 'jane', password: 'p', preferredChallenge: 'SMS_OTP' },
    { username: '', password: '', session: 'x'.repeat(2049), challengeResponse: '' },
    { username: 'jane', password: 'x'.repeat(257), challengeResponse: 'x'.repeat(4097) },
    { username: 'jane', preferredChallenge: 'NOPE' },
    { username: 'jane', password: 1, session: 1, preferredChallenge: 1, challengeResponse: 1 },
    { username: UNKNOWN_USER },
    { username: 'jane', session: 'not-a-session' },
    // Wrong passwords of a user the requests above signed up, until the pool locks them out for a while.
    ...Array.from({ length: 6 }, () => ({ username: VOCABULARY_USER, password: 'not-the-password' })),
  ].map(signIn),
  ...SIGN_IN_CHALLENGES.map((challenge) => respondToSignInChallenge({ ...JANE, challenge })),
  ...[
    { challenge: 'SELECT_CHALLENGE', answer: 'SMS_MFA' },
    { challenge: 'SELECT_CHALLENGE', answer: 'PASSWORD' },
    { challenge: 'SELECT_CHALLENGE', answer: 'EMAIL_OTP' },
    { challenge: 'EMAIL_OTP', code: '123456' },
    { challenge: 'SMS_MFA', session: '', code: '1 2', newPassword: '', password: '', challengeResponse: '' },
    {
      challenge: 'NEW_PASSWORD_REQUIRED',
      session: 'x'.repeat(2049),
      code: 'x'.repeat(65),
      newPassword: 'x'.repeat(257),
      password: 'x'.repeat(257),
      userAttributes: [...badAttributes, ...manyAttributes(101)],
    },
    { challenge: 'NOPE', answer: 'NOPE', code: 1, newPassword: 1, userAttributes: 1, password: 1 },
    { challenge: null, session: null },
  ].map((input) => respondToSignInChallenge({ ...JANE, ...input })),
  // graphql-js's messages for wrongly typed literals, enum literals among them.
  { query: inlined(SIGN_IN, { username: 'jane', preferredChallenge: 'NOPE', password: 1 }, SIGN_IN_ENUMS) },
  { query: inlined(SIGN_IN, { username: 'jane', preferredChallenge: 'a b', session: null }, SIGN_IN_ENUMS) },
  {
    query: inlined(
      RESPOND_TO_SIGN_IN_CHALLENGE,
      { ...JANE, challenge: 'NOPE', answer: 'a b', code: 1, userAttributes: [{ name: 1 }] },
      RESPOND_ENUMS,
    ),
  },
  { query: inlined(RESPOND_TO_SIGN_IN_CHALLENGE, { username: 'jane' }, RESPOND_ENUMS) },
];

/** The error texts of the fixed requests (by default those above): quoting these is not an echo. */
export async function collectVocabulary(
  h: Harness,
  requests: readonly unknown[] = VOCABULARY_REQUESTS,
): Promise<string> {
  let vocabulary = '';
  for (const body of requests) {
    const res = await post(h, body);
    vocabulary += `${stringLeaves(res.body?.errors).join('\n')}\n`;
  }
  return vocabulary;
}

export const RESEND_MUTATION: Mutation = { query: RESEND_CONFIRMATION_CODE, request: resend };

export function expectDeliveredOrUnknownUser(res: GraphQLResponse): void {
  const text = JSON.stringify(res.body);
  expect(res.status, text).toBe(200);
  if (res.body.errors === undefined) {
    expect(res.body.data?.resendConfirmationCode?.codeDeliveryDetails, text).toBeTruthy();
  } else {
    expect(codesOf(res), text).toEqual(['USER_NOT_FOUND']);
  }
}

// ---- the phone policy ------------------------------------------------------------------------------------------

const OPEN_POLICY = { blockedCountries: new Set<string>() };

/**
 * Whether the phone policy refused an input that validation let through: then one of `phones` (the numbers its
 * code could go to) must fail the policy, and nothing reached Cognito. A valid input with such a number must be
 * refused so.
 */
export function refusedByPhonePolicy(
  h: Harness,
  res: GraphQLResponse,
  verdict: Verdict,
  phones: readonly unknown[],
): boolean {
  const violates = phones.some((p) => typeof p !== 'string' || phoneRefusal(p, OPEN_POLICY) !== undefined);
  if (codesOf(res)[0] !== 'PHONE_NUMBER_NOT_ALLOWED') {
    if (verdict === 'valid')
      expect(violates, `a number the policy refuses passed: ${JSON.stringify(res.body)}`).toBe(false);
    return false;
  }
  expect(['valid', 'ambiguous']).toContain(verdict);
  expect(violates, JSON.stringify(res.body)).toBe(true);
  expect(h.standIn.calls, 'a refused number reached Cognito').toHaveLength(0);
  return true;
}

/** A username written as a phone number, where a one-time code could go by SMS to it. */
const smsUsername = (input: Input, bySms: boolean) =>
  bySms && typeof input.username === 'string' ? phoneUsername(input.username) : [];

/** signIn asking for a code (no password, no session) by any factor but email: the username as a phone. */
export const signInPhones = (input: Input) =>
  smsUsername(
    input,
    !given(input.password) && !given(input.session) && input.preferredChallenge !== 'EMAIL_OTP',
  );

/** SELECT_CHALLENGE answered SMS_OTP: the username as a phone. */
export const respondToSignInChallengePhones = (input: Input) =>
  smsUsername(input, input.challenge === 'SELECT_CHALLENGE' && input.answer === 'SMS_OTP');
