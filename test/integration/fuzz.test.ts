// Property-based tests over real HTTP: random bodies, usernames, metadata, sign-up and confirmation inputs and
// headers against the gateway and the local stand-in. Whatever comes in, the answer is JSON of the documented
// shape with a documented code and no internals, invalid input never reaches Cognito, what does reach Cognito
// satisfies Cognito's rules and is exactly what the input describes, and no value sent (a password or a code
// least of all) is quoted back or logged.
// A failing property prints fast-check's shrunk counterexample and seed; FUZZ_SEED=<seed> replays a run,
// FUZZ_SEED=random explores beyond the fixed seed CI uses.
import { isIP } from 'node:net';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { computeSecretHash } from '../../src/cognito/secret-hash';
import { canonicalIp } from '../../src/http/client-ip';
import {
  analyticsHeaderArb,
  clientMetadataArb,
  confirmSignUpInputArb,
  forwardedForArb,
  jsonBodyArb,
  rawBodyArb,
  signUpInputArb,
  userContextDataArb,
  usernameArb,
} from '../support/fuzz-arbitraries';
import { type GraphQLResponse, type Harness, RESEND, resend, startHarness } from '../support/gateway-harness';
import { CONFIRM_SIGN_UP, confirmSignUp, SIGN_UP, signUp } from '../support/operations';

const DOCUMENTED_CODES = new Set([
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'USER_NOT_FOUND',
  'USERNAME_EXISTS',
  'INVALID_PASSWORD',
  'CODE_MISMATCH',
  'CODE_EXPIRED',
  'ALIAS_EXISTS',
  'ALREADY_CONFIRMED',
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
const COGNITO_USERNAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
/**
 * AttributeNameType: the username's characters in pools created before May 2024; newer pools also allow
 * whitespace. The gateway holds every pool to the older rule.
 */
const COGNITO_ATTRIBUTE_NAME = COGNITO_USERNAME;
/** ConfirmationCodeType's [\S]+, Java's \S: no ASCII whitespace (the gateway refuses all whitespace). */
const COGNITO_CONFIRMATION_CODE = /^[^ \t\n\v\f\r]+$/;
const ENDPOINT_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BODY_LIMIT_BYTES = 64 * 1024;
const MAX_ENTRIES = 20;
const MAX_KEY = 64;
const MAX_VALUE = 1024;
const MAX_ENCODED_DATA = 16_384;
// signUp and confirmSignUp: the schema's limits, in UTF-16 code units as Cognito counts them.
const MAX_PASSWORD = 256;
const MAX_ATTRIBUTES = 100;
const MAX_ATTRIBUTE_NAME = 32;
const MAX_ATTRIBUTE_VALUE = 2048;
const MAX_CONFIRMATION_CODE = 2048;
/** The stand-in pool's default password policy: at least 8 characters (UTF-16 units, as it counts them). */
const POOL_PASSWORD_MIN = 8;
const UNKNOWN_USER = 'fuzz.nobody@example.com';

// CI replays one fixed seed so that a red build always means a change, not a lucky draw; explore new inputs
// locally with FUZZ_SEED=random (or a number to replay a failure).
const FIXED_SEED = 20261126;
const seed =
  process.env.FUZZ_SEED === 'random'
    ? undefined
    : process.env.FUZZ_SEED === undefined
      ? FIXED_SEED
      : Number(process.env.FUZZ_SEED);
/**
 * Shrinking over HTTP can take long for big inputs; past the time limit fast-check stops and reports the
 * smallest counterexample found so far (still a failure). A passing property takes a few seconds.
 */
const params = (numRuns: number): fc.Parameters<unknown> => ({
  numRuns,
  interruptAfterTimeLimit: 15_000,
  markInterruptAsFailure: true,
  ...(seed !== undefined && { seed }),
});

/** Unicode code points: a surrogate pair counts one, and so does a lone surrogate. */
const codePoints = (s: string) => [...s].length;
/** UTF-16 code units, as Cognito and the schema count: an emoji counts two. */
const withinUnits = (s: string, min: number, max: number) => s.length >= min && s.length <= max;

interface ResponseError {
  message?: unknown;
  extensions?: Record<string, unknown>;
}

interface UpstreamBody {
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
}

const ANSWER_TIMEOUT_MS = 5_000;

/** POSTs through the harness, failing the run (instead of hanging the property) when no answer comes. */
async function post(h: Harness, body: unknown, headers?: Record<string, string>): Promise<GraphQLResponse> {
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

function errorsOf(res: GraphQLResponse): ResponseError[] {
  return Array.isArray(res.body?.errors) ? res.body.errors : [];
}

function codesOf(res: GraphQLResponse): unknown[] {
  return errorsOf(res).map((e) => e.extensions?.code);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringLeaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) stringLeaves(v, out);
  else if (isPlainObject(value)) for (const v of Object.values(value)) stringLeaves(v, out);
  return out;
}

function objectKeys(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const v of value) objectKeys(v, out);
  else if (isPlainObject(value))
    for (const [k, v] of Object.entries(value)) {
      out.add(k);
      objectKeys(v, out);
    }
  return out;
}

const distinct = (values: readonly string[]) => new Set(values).size === values.length;

/**
 * Every answer, whatever was sent: no 5xx; JSON with `data` or `errors` (non-2xx: a non-empty `errors`);
 * documented codes only, and never INTERNAL_SERVER_ERROR; no stack trace, no `stacktrace`/`exception`
 * extension, no source or node_modules paths (unless the request itself contained that text, which GraphQL
 * syntax errors may quote).
 */
function expectWellFormed(res: GraphQLResponse, requestText: string): void {
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
function expectNoEcho(
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
function expectNotQuoted(res: GraphQLResponse, value: unknown, what: string, vocabulary: string): void {
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
function expectNotLogged(h: Harness, secret: unknown, logsBefore: string, what: string): boolean {
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
 * Cognito's UsernameType. Its 128 is counted in UTF-16 code units, as src/confirmation/username.ts documents
 * and the stand-in enforces (an emoji counts two); that bound also keeps every name within 128 code points.
 */
function isValidUsername(username: string): boolean {
  return withinUnits(username, 1, 128) && COGNITO_USERNAME.test(username);
}

function isValidAttributeName(name: unknown): boolean {
  return (
    typeof name === 'string' && withinUnits(name, 1, MAX_ATTRIBUTE_NAME) && COGNITO_ATTRIBUTE_NAME.test(name)
  );
}

// ---- what reaches Cognito ------------------------------------------------------------------------------------

const SHARED_FIELDS = [
  'ClientId',
  'Username',
  'SecretHash',
  'ClientMetadata',
  'UserContextData',
  'AnalyticsMetadata',
];
/** The fields each operation may carry besides the shared ones, and Cognito's rules for them. */
const OPERATIONS: Record<string, { fields: readonly string[]; expectValid(body: UpstreamBody): void }> = {
  ResendConfirmationCode: { fields: [], expectValid: () => {} },
  SignUp: { fields: ['Password', 'UserAttributes', 'ValidationData'], expectValid: expectValidSignUpFields },
  ConfirmSignUp: {
    fields: ['ConfirmationCode', 'ForceAliasCreation'],
    expectValid: expectValidConfirmSignUpFields,
  },
};

/** Every call Cognito received is one Cognito would accept from this client. */
function expectValidUpstreamCalls(h: Harness): void {
  for (const call of h.standIn.calls) {
    expect(Object.hasOwn(OPERATIONS, call.operation), `operation ${call.operation}`).toBe(true);
    const operation = OPERATIONS[call.operation];
    const body = call.body as UpstreamBody;
    for (const field of Object.keys(body)) {
      expect([...SHARED_FIELDS, ...(operation?.fields ?? [])], `${call.operation} field`).toContain(field);
    }
    expectValidSharedFields(h, body);
    operation?.expectValid(body);
  }
}

function expectValidSharedFields(h: Harness, body: UpstreamBody): void {
  expect(typeof body.Username, 'Username is a string').toBe('string');
  const username = body.Username as string;
  const described = `upstream Username ${JSON.stringify(username)} (${codePoints(username)} code points, ${username.length} UTF-16 units)`;
  expect(
    COGNITO_USERNAME.test(username),
    `${described} has only letters, marks, symbols, numbers, punctuation`,
  ).toBe(true);
  expect(codePoints(username) >= 1 && codePoints(username) <= 128, `${described} is 1-128 code points`).toBe(
    true,
  );
  expect(isValidUsername(username), `${described} is 1-128 UTF-16 code units`).toBe(true);
  expect(body.ClientId).toBe(h.clientId);
  expect(typeof body.SecretHash, 'SecretHash is a string').toBe('string');
  expect(body.SecretHash).toBe(computeSecretHash(username, h.clientId, h.clientSecret));
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
function expectValidSignUpFields(body: UpstreamBody): void {
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

function expectValidConfirmSignUpFields(body: UpstreamBody): void {
  expect(typeof body.ConfirmationCode, 'ConfirmationCode is a string').toBe('string');
  const code = body.ConfirmationCode as string;
  const described = `ConfirmationCode ${JSON.stringify(code.slice(0, 80))} (${code.length} UTF-16 units)`;
  expect(withinUnits(code, 1, MAX_CONFIRMATION_CODE), `${described} is 1-2048 units`).toBe(true);
  expect(code, `${described} has no whitespace`).toMatch(COGNITO_CONFIRMATION_CODE);
  if (body.ForceAliasCreation !== undefined) expect(typeof body.ForceAliasCreation).toBe('boolean');
}

function firstCallBody(h: Harness): UpstreamBody {
  return (h.standIn.calls[0]?.body ?? {}) as UpstreamBody;
}

// ---- the oracle: which inputs the gateway accepts, and the request each one becomes ---------------------------

/**
 * 'ambiguous': within the limit in code points but not in UTF-16 code units (astral characters). The README's
 * metadata and context-data limits say "characters" without a unit, so either answer is accepted there, but
 * whatever reaches Cognito must still be within the limit in code points. The other limits are Cognito's
 * own and stated in UTF-16 units: no ambiguity.
 */
type Verdict = 'wrong-type' | 'invalid' | 'ambiguous' | 'valid';

/** GraphQL's coercion fails first, then validation; an input is valid only when every part is. */
function combine(verdicts: readonly Verdict[]): Verdict {
  for (const verdict of ['wrong-type', 'invalid', 'ambiguous'] as const) {
    if (verdicts.includes(verdict)) return verdict;
  }
  return 'valid';
}

function lengthVerdict(value: string, min: number, max: number): Verdict {
  const n = codePoints(value);
  if (n < min || n > max) return 'invalid';
  return value.length <= max ? 'valid' : 'ambiguous';
}

/** A String field (required: null and absent are wrong types) of `min`-`max` UTF-16 units matching `pattern`. */
function stringVerdict(value: unknown, min: number, max: number, pattern?: RegExp): Verdict {
  if (typeof value !== 'string') return 'wrong-type';
  return withinUnits(value, min, max) && (pattern?.test(value) ?? true) ? 'valid' : 'invalid';
}

type InputFields = Record<string, 'required' | 'optional'>;

/** What GraphQL's input coercion accepts for an input object with exactly these String fields. */
function isInputObject(value: unknown, fields: InputFields): boolean {
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
function listItems<T>(value: unknown, fields: InputFields): T[] | null {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.every((item) => isInputObject(item, fields)) ? (items as T[]) : null;
}

const metadataEntriesOf = (value: unknown) =>
  listItems<{ key: string; value: string }>(value, { key: 'required', value: 'required' });
const attributesOf = (value: unknown) =>
  listItems<{ name: string; value: string }>(value, { name: 'required', value: 'required' });

type Input = Record<string, unknown>;

/** The fields every user-pool call shares: username, clientMetadata, userContextData. */
function sharedVerdicts(input: Input): Verdict[] {
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

function attributeVerdicts(value: unknown): Verdict[] {
  const attributes = attributesOf(value);
  if (attributes === null) return ['wrong-type'];
  const verdicts = attributes.flatMap(({ name, value }) => [
    stringVerdict(name, 1, MAX_ATTRIBUTE_NAME, COGNITO_ATTRIBUTE_NAME),
    stringVerdict(value, 0, MAX_ATTRIBUTE_VALUE),
  ]);
  if (attributes.length > MAX_ATTRIBUTES || !distinct(attributes.map((a) => a.name)))
    verdicts.push('invalid');
  return verdicts;
}

const classifyResend = (input: Input): Verdict => combine(sharedVerdicts(input));

function classifySignUp(input: Input): Verdict {
  return combine([
    ...sharedVerdicts(input),
    stringVerdict(input.password, 1, MAX_PASSWORD),
    ...attributeVerdicts(input.userAttributes),
    ...attributeVerdicts(input.validationData),
  ]);
}

function classifyConfirmSignUp(input: Input): Verdict {
  const force = input.forceAliasCreation;
  return combine([
    ...sharedVerdicts(input),
    // No whitespace, as the schema documents: any character JavaScript's \s matches.
    stringVerdict(input.confirmationCode, 1, MAX_CONFIRMATION_CODE, /^\S+$/),
    force === undefined || force === null || typeof force === 'boolean' ? 'valid' : 'wrong-type',
  ]);
}

/** The request an accepted input becomes: the shared fields, then the call's own (absent ones left out). */
function expectedRequest(
  h: Harness,
  input: Input,
  own: Record<string, unknown> = {},
): Record<string, unknown> {
  const username = input.username as string;
  const entries = metadataEntriesOf(input.clientMetadata) ?? [];
  const encodedData = (input.userContextData as { encodedData?: string } | null | undefined)?.encodedData;
  return {
    ClientId: h.clientId,
    Username: username,
    SecretHash: computeSecretHash(username, h.clientId, h.clientSecret),
    ...(entries.length > 0 && { ClientMetadata: Object.fromEntries(entries.map((e) => [e.key, e.value])) }),
    ...(encodedData !== undefined && { UserContextData: { EncodedData: encodedData } }),
    ...own,
  };
}

function attributeTypes(value: unknown): Array<{ Name: string; Value: string }> | undefined {
  const attributes = (attributesOf(value) ?? []).map((a) => ({ Name: a.name, Value: a.value }));
  return attributes.length > 0 ? attributes : undefined;
}

function expectedSignUpRequest(h: Harness, input: Input): Record<string, unknown> {
  const userAttributes = attributeTypes(input.userAttributes);
  const validationData = attributeTypes(input.validationData);
  return expectedRequest(h, input, {
    Password: input.password,
    ...(userAttributes && { UserAttributes: userAttributes }),
    ...(validationData && { ValidationData: validationData }),
  });
}

function expectedConfirmSignUpRequest(h: Harness, input: Input): Record<string, unknown> {
  const force = input.forceAliasCreation;
  return expectedRequest(h, input, {
    ConfirmationCode: input.confirmationCode,
    ...(typeof force === 'boolean' && { ForceAliasCreation: force }),
  });
}

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

function expectBadUserInput(res: GraphQLResponse, status: number): void {
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
 * any other gets BAD_USER_INPUT (400 for a wrongly typed variable, 200 for failed validation; an inline
 * literal of a wrong type fails GraphQL validation instead) and reaches no one. True when Cognito was called.
 */
function expectRouted(
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
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(new Set(codesOf(res)), JSON.stringify(res.body)).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
  } else {
    expectBadUserInput(res, verdict === 'wrong-type' ? 400 : 200);
  }
  expect(h.standIn.calls, `${verdict} input reached Cognito`).toHaveLength(0);
  return false;
}

// ---- sending an input as a variable or inline ------------------------------------------------------------------

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * `value` as a GraphQL input literal; undefined where it has none that means the same: a lone surrogate
 * (graphql-js refuses its escape), an object key that is not a GraphQL name (it would change the document),
 * a number that is not finite.
 */
function graphqlLiteral(value: unknown): string | undefined {
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
    const literal = graphqlLiteral(item);
    if (!GRAPHQL_NAME.test(key) || literal === undefined) return undefined;
    parts.push(`${key}: ${literal}`);
  }
  return `{ ${parts.join(', ')} }`;
}

/** `operation` (one `$input` variable) with the input inline instead; undefined when it has no literal. */
function inlined(operation: string, input: Input): string | undefined {
  const literal = graphqlLiteral(input);
  if (literal === undefined) return undefined;
  return operation.replace(/\(\$input: \w+!\)/, '').replace('(input: $input)', () => `(input: ${literal})`);
}

interface Mutation {
  query: string;
  request(input: Input): unknown;
}
const SIGN_UP_MUTATION: Mutation = { query: SIGN_UP, request: signUp };
const CONFIRM_SIGN_UP_MUTATION: Mutation = { query: CONFIRM_SIGN_UP, request: confirmSignUp };

interface Sent {
  res: GraphQLResponse;
  text: string;
  inline: boolean;
}

/** Sends `input` as the `$input` variable, or inline when asked and it has a literal; the answer is well-formed. */
async function send(h: Harness, mutation: Mutation, input: Input, inline: boolean): Promise<Sent> {
  const query = inline ? inlined(mutation.query, input) : undefined;
  const text = JSON.stringify(query === undefined ? mutation.request(input) : { query });
  const res = await post(h, text);
  expectWellFormed(res, text);
  return { res, text, inline: query !== undefined };
}

// ---- fixed texts: what the gateway answers for inputs that hold no such value -----------------------------------

const VOCABULARY_USER = 'vocabulary.user@example.net';
const VOCABULARY_PASSWORD = 'Vocabulary-Pass-1';
const manyAttributes = (n: number) => Array.from({ length: n }, () => ({ name: '', value: '' }));
const badAttributes = [
  { name: '', value: 'x'.repeat(2049) },
  { name: 'a b', value: '' },
  { name: 'n'.repeat(33), value: '' },
];

const VOCABULARY_REQUESTS: unknown[] = [
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

/** The error texts of the fixed requests above: quoting these is not an echo. */
async function collectVocabulary(h: Harness): Promise<string> {
  let vocabulary = '';
  for (const body of VOCABULARY_REQUESTS) {
    const res = await post(h, body);
    vocabulary += `${stringLeaves(res.body?.errors).join('\n')}\n`;
  }
  return vocabulary;
}

const RESEND_MUTATION: Mutation = { query: RESEND, request: resend };

function expectDeliveredOrUnknownUser(res: GraphQLResponse): void {
  const text = JSON.stringify(res.body);
  expect(res.status, text).toBe(200);
  if (res.body.errors === undefined) {
    expect(res.body.data?.resendConfirmationCode?.codeDeliveryDetails, text).toBeTruthy();
  } else {
    expect(codesOf(res), text).toEqual(['USER_NOT_FOUND']);
  }
}

describe('fuzzing the gateway over HTTP', () => {
  let h: Harness;
  /** Text the gateway answers with for inputs that hold no such value: quoting it is not an echo. */
  let vocabulary = '';

  beforeAll(async () => {
    h = await startHarness({ env: { GRAPHQL_MAX_TOKENS: '5000' } });
    vocabulary = await collectVocabulary(h);
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.standIn.calls.length = 0;
  });

  it('answers any JSON body with a well-formed response, a documented code and no internals', async () => {
    await fc.assert(
      fc.asyncProperty(jsonBodyArb, async (body) => {
        h.standIn.calls.length = 0;
        const text = JSON.stringify(body);
        const res = await post(h, text);
        expectWellFormed(res, text);
        if (byteLength(text) > BODY_LIMIT_BYTES) {
          expect(res.status).toBe(413);
          expect(codesOf(res)).toEqual(['BAD_REQUEST']);
        }
        // Values sent in variables are never quoted back (keys may be: they name fields).
        if (isPlainObject(body) && body.variables !== undefined) {
          expectNoEcho(res, stringLeaves(body.variables), vocabulary, objectKeys(body.variables));
        }
        expectValidUpstreamCalls(h);
      }),
      params(300),
    );
  }, 30_000);

  it('answers bodies that are not JSON with 400 BAD_REQUEST as JSON, and everything else well-formed', async () => {
    await fc.assert(
      fc.asyncProperty(rawBodyArb, async (raw) => {
        h.standIn.calls.length = 0;
        const res = await post(h, raw);
        expectWellFormed(res, raw);
        // What the server receives: UTF-8 with lone surrogates replaced; the body parser drops a leading BOM.
        const received = Buffer.from(raw, 'utf8')
          .toString('utf8')
          .replace(/^\uFEFF/, '');
        let parses = true;
        try {
          JSON.parse(received);
        } catch {
          parses = false;
        }
        if (byteLength(received) > BODY_LIMIT_BYTES) {
          expect(res.status, JSON.stringify(res.body)).toBe(413);
          expect(codesOf(res)).toEqual(['BAD_REQUEST']);
        } else if (!parses && received !== '') {
          expect(res.status, JSON.stringify(res.body)).toBe(400);
          expect(codesOf(res)).toEqual(['BAD_REQUEST']);
        }
        expectValidUpstreamCalls(h);
      }),
      params(250),
    );
  }, 30_000);

  it('sends Cognito only valid usernames, refuses the rest with BAD_USER_INPUT, and never echoes one', async () => {
    await fc.assert(
      fc.asyncProperty(usernameArb, async (username) => {
        h.standIn.calls.length = 0;
        const res = await post(h, resend({ username }));
        expectWellFormed(res, '');
        if (isValidUsername(username)) {
          expectDeliveredOrUnknownUser(res);
          expect(h.standIn.calls).toHaveLength(1);
          expect(firstCallBody(h)).toEqual(expectedRequest(h, { username }));
        } else {
          expectBadUserInput(res, 200);
          expect(h.standIn.calls, 'an invalid username reached Cognito').toHaveLength(0);
        }
        expectValidUpstreamCalls(h);
        expectNotQuoted(res, username, 'username', vocabulary);
        expectNoEcho(res, [username], vocabulary, new Set());
      }),
      params(300),
    );
  }, 30_000);

  it('sends Cognito only metadata within its limits and refuses the rest without calling it', async () => {
    const inputArb = fc.record(
      {
        username: fc.constant(UNKNOWN_USER),
        clientMetadata: clientMetadataArb,
        userContextData: userContextDataArb,
      },
      { requiredKeys: ['username'] },
    );
    await fc.assert(
      fc.asyncProperty(inputArb, async (input) => {
        h.standIn.calls.length = 0;
        const sent = await send(h, RESEND_MUTATION, input, false);
        if (expectRouted(h, sent, classifyResend(input), () => expectedRequest(h, input))) {
          expectDeliveredOrUnknownUser(sent.res);
        }
        expectValidUpstreamCalls(h);
        expectNoEcho(
          sent.res,
          stringLeaves([input.clientMetadata, input.userContextData]),
          vocabulary,
          objectKeys([input.clientMetadata, input.userContextData]),
        );
      }),
      params(250),
    );
  }, 30_000);
});

describe('fuzzing signUp and confirmSignUp over HTTP', () => {
  // A harness of their own, so that the users the other properties sign up cannot collide with these.
  let h: Harness;
  let vocabulary = '';
  /** Usernames (lower-cased: the pool compares them so) with a user in the pool. */
  const registered = new Set<string>();
  const PENDING_USER = 'fuzz.pending@example.net';
  const TAKEN_USER = 'Fuzz.Taken@example.net';
  let pendingCode: string | undefined;
  let pendingConfirmed = false;

  beforeAll(async () => {
    h = await startHarness({ env: { GRAPHQL_MAX_TOKENS: '5000' } });
    vocabulary = await collectVocabulary(h);
    await h.signUp(PENDING_USER);
    await h.signUp(TAKEN_USER);
    for (const username of [VOCABULARY_USER, PENDING_USER, TAKEN_USER])
      registered.add(username.toLowerCase());
    pendingCode = h.standIn.outbox.latestCode(PENDING_USER);
    expect(pendingCode).toBeDefined();
  });
  afterAll(() => h.close());

  /**
   * What the pool answers a sign-up the gateway passed on. A password shorter than the pool's policy and a
   * taken username must fail; an email or phone number may fail Cognito's format check (BAD_USER_INPUT);
   * anything else creates an unconfirmed user, with a code sent when an email was given.
   */
  function expectSignUpAnswer(res: GraphQLResponse, input: Input, taken: boolean): void {
    const text = JSON.stringify(res.body);
    expect(res.status, text).toBe(200);
    const names = new Set((attributesOf(input.userAttributes) ?? []).map((a) => a.name));
    const certain = [
      ...((input.password as string).length < POOL_PASSWORD_MIN ? ['INVALID_PASSWORD'] : []),
      ...(taken ? ['USERNAME_EXISTS'] : []),
    ];
    const possible = new Set([
      ...certain,
      ...(names.has('email') || names.has('phone_number') ? ['BAD_USER_INPUT'] : []),
    ]);
    if (res.body.errors === undefined) {
      expect(certain, `signed up although it had to fail: ${text}`).toEqual([]);
      const payload = res.body.data?.signUp;
      expect(payload?.userConfirmed, text).toBe(false);
      expect(payload?.userSub, text).toMatch(UUID);
      if (names.has('email')) {
        expect(payload?.codeDeliveryDetails, text).toMatchObject({
          deliveryMedium: 'EMAIL',
          attributeName: 'email',
        });
      } else {
        expect(payload?.codeDeliveryDetails, text).toBeNull();
      }
    } else {
      expect(res.body.data ?? null, text).toBeNull();
      const codes = codesOf(res);
      expect(codes, text).toHaveLength(1);
      expect(
        possible.has(codes[0] as string),
        `${String(codes[0])} is one of ${[...possible]}: ${text}`,
      ).toBe(true);
    }
  }

  it('passes valid sign-ups to Cognito exactly, refuses the rest, and never echoes or logs the password', async () => {
    const secrets: string[] = [];
    const outcomes = { accepted: 0, refused: 0, signedUp: 0, inline: 0 };
    await fc.assert(
      fc.asyncProperty(
        signUpInputArb([TAKEN_USER, TAKEN_USER.toUpperCase()]),
        fc.boolean(),
        async (input, inline) => {
          h.standIn.calls.length = 0;
          const logsBefore = h.logs.join('');
          const username = input.username.toLowerCase(); // the pool compares usernames so
          const taken = registered.has(username);
          const sent = await send(h, SIGN_UP_MUTATION, input, inline);
          // Kept up to date before any check, so that a failing run cannot leave it stale while shrinking.
          if (sent.res.body?.data?.signUp) registered.add(username);
          const verdict = classifySignUp(input);
          if (expectRouted(h, sent, verdict, () => expectedSignUpRequest(h, input))) {
            expectSignUpAnswer(sent.res, input, taken);
            outcomes.accepted++;
            if (sent.res.body.errors === undefined) outcomes.signedUp++;
          } else {
            outcomes.refused++;
          }
          if (sent.inline) outcomes.inline++;
          expectValidUpstreamCalls(h);
          expectNotQuoted(sent.res, input.password, 'password', vocabulary);
          expectNotQuoted(sent.res, input.username, 'username', vocabulary);
          expectNoEcho(sent.res, stringLeaves(input), vocabulary, objectKeys(input));
          if (expectNotLogged(h, input.password, logsBefore, 'password'))
            secrets.push(input.password as string);
        },
      ),
      params(200),
    );
    // Log lines written after an answer would have escaped the check in the run.
    for (const secret of secrets) expectNotLogged(h, secret, '', 'password');
    // The draws must exercise both sides of the oracle, and both ways of sending.
    expect(outcomes.signedUp, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.accepted - outcomes.signedUp, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.refused, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.inline, JSON.stringify(outcomes)).toBeGreaterThan(0);
  }, 30_000);

  it('passes valid codes to Cognito exactly, refuses the rest, and never echoes or logs a code', async () => {
    const secrets: string[] = [];
    const outcomes = { accepted: 0, refused: 0 };
    const inputArb = confirmSignUpInputArb([PENDING_USER, UNKNOWN_USER]);
    await fc.assert(
      fc.asyncProperty(inputArb, fc.boolean(), async (input, inline) => {
        h.standIn.calls.length = 0;
        const logsBefore = h.logs.join('');
        const confirmedBefore = pendingConfirmed;
        const sent = await send(h, CONFIRM_SIGN_UP_MUTATION, input, inline);
        if (sent.res.body?.data?.confirmSignUp) pendingConfirmed = true;
        const verdict = classifyConfirmSignUp(input);
        if (expectRouted(h, sent, verdict, () => expectedConfirmSignUpRequest(h, input))) {
          outcomes.accepted++;
          // The stand-in's answer for this user and code: unknown, confirmed already, right code, wrong one.
          const expected =
            input.username === UNKNOWN_USER
              ? 'USER_NOT_FOUND'
              : confirmedBefore
                ? 'ALREADY_CONFIRMED'
                : input.confirmationCode === pendingCode
                  ? undefined
                  : 'CODE_MISMATCH';
          const text = JSON.stringify(sent.res.body);
          expect(sent.res.status, text).toBe(200);
          if (expected === undefined) {
            expect(sent.res.body, text).toEqual({ data: { confirmSignUp: { confirmed: true } } });
          } else {
            expect(codesOf(sent.res), text).toEqual([expected]);
            expect(sent.res.body.data ?? null, text).toBeNull();
          }
        } else {
          outcomes.refused++;
        }
        expectValidUpstreamCalls(h);
        expectNotQuoted(sent.res, input.confirmationCode, 'confirmation code', vocabulary);
        expectNoEcho(sent.res, stringLeaves(input), vocabulary, objectKeys(input));
        if (expectNotLogged(h, input.confirmationCode, logsBefore, 'confirmation code')) {
          secrets.push(input.confirmationCode as string);
        }
      }),
      params(200),
    );
    for (const secret of secrets) expectNotLogged(h, secret, '', 'confirmation code');
    expect(outcomes.accepted, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.refused, JSON.stringify(outcomes)).toBeGreaterThan(0);
  }, 30_000);
});

/** What proxy-addr trusts under TRUST_PROXY=loopback: a plain address in a loopback range. */
function isLoopback(entry: string): boolean {
  return ipaddr.isValid(entry) && ipaddr.process(entry).range() === 'loopback';
}

describe('fuzzing the gateway headers over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: {
        GRAPHQL_MAX_TOKENS: '5000',
        ANALYTICS_ENABLED: 'true',
        SEND_USER_CONTEXT_IP: 'true',
        // The test's loopback connection counts as a trusted proxy, so X-Forwarded-For is actually parsed.
        TRUST_PROXY: 'loopback',
      },
    });
  });
  afterAll(() => h.close());

  it('survives any X-Forwarded-For and analytics header, and sends only valid analytics endpoint ids', async () => {
    const headersArb = fc.record(
      { 'x-forwarded-for': forwardedForArb, 'x-analytics-endpoint-id': analyticsHeaderArb },
      { requiredKeys: [] },
    );
    const outcomes = { refused: 0, served: 0 };
    await fc.assert(
      fc.asyncProperty(headersArb, async (headers) => {
        h.standIn.calls.length = 0;
        const body = { query: RESEND, variables: { input: { username: UNKNOWN_USER } } };
        const res = await post(h, body, headers);
        expectWellFormed(res, JSON.stringify(headers));
        // Through loopback proxies, the client is the rightmost forwarded entry that is not loopback (or the
        // leftmost when all are); when that entry is not an address, the caller has none and is refused.
        // (Entries split as proxy-addr splits them: on commas, spaces trimmed, empty ones dropped.)
        const hops = (headers['x-forwarded-for'] ?? '')
          .split(',')
          .map((e) => e.replace(/^ +| +$/g, ''))
          .filter((e) => e !== '');
        const client = [...hops].reverse().find((e) => !isLoopback(e)) ?? hops[0];
        if (client !== undefined && canonicalIp(client) === undefined) {
          expect(res.body.errors?.[0]?.extensions.code, JSON.stringify(headers)).toBe('FORBIDDEN');
          expect(h.standIn.calls).toHaveLength(0);
          outcomes.refused += 1;
          return;
        }
        outcomes.served += 1;
        expectDeliveredOrUnknownUser(res);
        expect(h.standIn.calls).toHaveLength(1);
        expectValidUpstreamCalls(h);
        const sent = firstCallBody(h);
        const header = headers['x-analytics-endpoint-id']?.trim();
        if (header !== undefined && ENDPOINT_ID.test(header)) {
          expect(sent.AnalyticsMetadata).toEqual({ AnalyticsEndpointId: header });
        } else {
          expect(sent.AnalyticsMetadata).toBeUndefined();
        }
        // Junk in X-Forwarded-For, even through a trusted proxy, never becomes the caller's address.
        const ip = sent.UserContextData?.IpAddress;
        expect(
          typeof ip === 'string' && isIP(ip) !== 0,
          `IpAddress ${JSON.stringify(ip)} is an IP address`,
        ).toBe(true);
      }),
      params(250),
    );
    expect(outcomes.refused, JSON.stringify(outcomes)).toBeGreaterThan(0);
    expect(outcomes.served, JSON.stringify(outcomes)).toBeGreaterThan(0);
  }, 30_000);
});
