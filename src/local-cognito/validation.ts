// Request-field checks with the two failure modes AWS has: a JSON value of the wrong type fails to
// deserialise (SerializationException), while a missing or out-of-range value fails model validation
// (InvalidParameterException, "N validation error(s) detected: ..." with lowerCamel member paths).
import { CognitoError, missingParameter } from './errors';
import type { JsonObject } from './types';

// Cognito's UsernameType: letters, marks, symbols, numbers and punctuation; no whitespace.
const USERNAME_PATTERN = /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u;
const USERNAME_PATTERN_TEXT = '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+';

// Members the Cognito model marks sensitive: AWS leaves their value out of validation messages.
const SENSITIVE = new Set([
  'AccessToken',
  'ClientId',
  'ClientSecret',
  'ConfirmationCode',
  'Password',
  'RefreshToken',
  'SecretHash',
  'Session',
  'TemporaryPassword',
  'Token',
  'Username',
]);

export function memberPath(field: string): string {
  return field.charAt(0).toLowerCase() + field.slice(1);
}

export function validationError(problems: readonly string[]): CognitoError {
  const count = problems.length;
  return new CognitoError(
    'InvalidParameterException',
    `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
  );
}

export function mustNotBeNull(path: string): string {
  return `Value null at '${path}' failed to satisfy constraint: Member must not be null`;
}

// AWS names the JSON token it could not deserialise, e.g. "NUMBER_VALUE can not be converted to a String".
function wrongType(value: unknown, expected: string): CognitoError {
  return new CognitoError(
    'SerializationException',
    `${jsonToken(value)} can not be converted to ${expected}`,
  );
}

function jsonToken(value: unknown): string {
  if (Array.isArray(value)) return 'START_ARRAY';
  if (typeof value === 'object') return 'START_OBJECT';
  if (typeof value === 'number') return 'NUMBER_VALUE';
  if (typeof value === 'boolean') return value ? 'TRUE_VALUE' : 'FALSE_VALUE';
  return 'VALUE_STRING';
}

function stringProblems(field: string, value: string): string[] {
  const shown = SENSITIVE.has(field) ? 'Value' : `Value '${value}'`;
  const violation = (constraint: string) =>
    `${shown} at '${memberPath(field)}' failed to satisfy constraint: Member must ${constraint}`;
  const problems: string[] = [];
  if (value.length < 1) problems.push(violation('have length greater than or equal to 1'));
  if (field === 'Username' && value.length > 128) {
    problems.push(violation('have length less than or equal to 128'));
  }
  if (field === 'Username' && value.length > 0 && !USERNAME_PATTERN.test(value)) {
    problems.push(violation(`satisfy regular expression pattern: ${USERNAME_PATTERN_TEXT}`));
  }
  return problems;
}

// Reads string members, reporting every validation problem at once as AWS does.
export function readStrings<R extends string, O extends string = never>(
  body: JsonObject,
  required: readonly R[],
  optional: readonly O[] = [],
): Record<R, string> & Partial<Record<O, string>> {
  const problems: string[] = [];
  const out: Record<string, string> = {};
  for (const field of [...required, ...optional]) {
    const value = body[field];
    if (value === undefined || value === null) {
      if ((required as readonly string[]).includes(field)) problems.push(mustNotBeNull(memberPath(field)));
      continue;
    }
    if (typeof value !== 'string') throw wrongType(value, 'a String');
    problems.push(...stringProblems(field, value));
    out[field] = value;
  }
  if (problems.length > 0) throw validationError(problems);
  return out as Record<R, string> & Partial<Record<O, string>>;
}

export function readBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw wrongType(value, 'a Boolean');
  return value;
}

export function readInteger(body: JsonObject, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(value, 'an Integer');
  return value;
}

export function readObject(body: JsonObject, field: string): JsonObject | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw wrongType(value, 'a Structure');
  return value;
}

export function readStringList(body: JsonObject, field: string): string[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(value, 'a List');
  return value.map((item) => {
    if (typeof item !== 'string') throw wrongType(item, 'a String');
    return item;
  });
}

// A list of structures; each member's own fields are for the caller to read.
export function readObjectList(body: JsonObject, field: string): JsonObject[] | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(value, 'a List');
  return value.map((item: unknown) => {
    if (!isJsonObject(item)) throw wrongType(item, 'a Structure');
    return item;
  });
}

// A map of strings (AuthParameters, ChallengeResponses, ClientMetadata): each value must be a string.
export function readStringMap(body: JsonObject, field: string): Record<string, string> {
  const map = readObject(body, field) ?? {};
  for (const value of Object.values(map)) {
    if (typeof value !== 'string') throw wrongType(value, 'a String');
  }
  return map as Record<string, string>;
}

/** A parameter of such a map that must be there and non-empty ("Missing required parameter NAME"). */
export function requiredParameter(map: Record<string, string>, name: string): string {
  const value = map[name];
  if (value === undefined || value === '') throw missingParameter(name);
  return value;
}

export interface AttributeInput {
  Name: string;
  Value?: string;
}

// A list of AttributeType ({ Name, Value }); Name is required on each member.
export function readAttributes(body: JsonObject, field: string): AttributeInput[] {
  const value = body[field];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw wrongType(value, 'a List');
  const problems: string[] = [];
  const attributes: AttributeInput[] = [];
  value.forEach((item: unknown, index) => {
    if (!isJsonObject(item)) throw wrongType(item, 'a Structure');
    const { Name, Value } = item;
    if (Value !== undefined && Value !== null && typeof Value !== 'string') {
      throw wrongType(Value, 'a String');
    }
    if (Name === undefined || Name === null) {
      problems.push(mustNotBeNull(`${memberPath(field)}.${index + 1}.member.name`));
      return;
    }
    if (typeof Name !== 'string') throw wrongType(Name, 'a String');
    attributes.push(typeof Value === 'string' ? { Name, Value } : { Name });
  });
  if (problems.length > 0) throw validationError(problems);
  return attributes;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
