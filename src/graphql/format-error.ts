// The one place that shapes every error in a response: known codes pass through, validation errors are
// reduced to field paths and messages (never the values sent), everything else is masked as
// INTERNAL_SERVER_ERROR.
import { unwrapResolverError } from '@apollo/server/errors';
import type { ValidationError } from 'class-validator';
import type { GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import { ErrorCode, isUnexpectedError } from '../errors';

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof ArgumentValidationError) {
    const fields = flattenValidationErrors(original.extensions.validationErrors as ValidationError[]);
    return {
      message: `Invalid input: ${fields.map((f) => f.messages.join('; ')).join('; ')}`,
      ...(formatted.locations && { locations: formatted.locations }),
      ...(formatted.path && { path: formatted.path }),
      extensions: { code: ErrorCode.BAD_USER_INPUT, fields },
    };
  }
  if (isUnexpectedError(error)) {
    return {
      message: 'Internal server error',
      ...(formatted.path && { path: formatted.path }),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  }
  const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
  const message = withoutTokenValue(withoutLiteralValue(withoutEchoedValue(formatted.message)));
  return { ...formatted, message, extensions };
}

interface FieldProblem {
  path: string;
  messages: string[];
}

function flattenValidationErrors(errors: ValidationError[], parent = 'input'): FieldProblem[] {
  return errors.flatMap((e) => {
    const path = /^\d+$/.test(e.property) ? `${parent}[${e.property}]` : `${parent}.${e.property}`;
    const own = e.constraints ? [{ path, messages: Object.values(e.constraints) }] : [];
    return [...own, ...flattenValidationErrors(e.children ?? [], path)];
  });
}

/**
 * graphql-js reports a bad variable as `Variable "$input" got invalid value <the value> at "input.x"; <why>`,
 * and <why> may quote the value again. The value may be a password or a code, so neither is passed on: the
 * variable and path stay, and the reason only when it is one of graphql-js's value-free forms.
 */
export function withoutEchoedValue(message: string): string {
  const head = /^Variable "(\$\w+)" got invalid value /.exec(message);
  if (!head) return message;
  // A path is word characters, dots and indexes; a value's own quotes are escaped, so the last match is ours.
  const paths = [...message.matchAll(/ at "(\w+(?:\.\w+|\[\d+\])*)"; /g)];
  const last = paths.at(-1);
  const reason = last
    ? safeReason(message.slice((last.index ?? 0) + last[0].length))
    : lastSafeReason(message);
  return `Variable "${head[1]}" got an invalid value${last ? ` at "${last[1]}"` : ''}.${reason ? ` ${reason}` : ''}`;
}

const SAFE_REASONS = [
  /^Field "\w+" of required type "[\w![\]]+" was not provided\.$/,
  /^Field "\w+" is not defined by type "\w+"\./,
  /^Expected type "[\w![\]]+" to be an object\.$/,
  /^\w+ cannot represent [\w -]+? value/,
];

/** Without a path, the reason follows some `; `: take the last one that starts a value-free form. */
function lastSafeReason(message: string): string | undefined {
  for (let at = message.lastIndexOf('; '); at !== -1; at = message.lastIndexOf('; ', at - 1)) {
    const reason = safeReason(message.slice(at + 2));
    if (reason) return reason;
    if (at === 0) break;
  }
  return undefined;
}

function safeReason(reason: string): string | undefined {
  for (const pattern of SAFE_REASONS) {
    const match = pattern.exec(reason);
    if (match) return match[0].endsWith('.') ? match[0] : `${match[0]}.`;
  }
  return undefined;
}

/**
 * graphql-js's words for an inline enum literal that is not one of the enum's values, which quote it (a
 * password typed into the wrong field, say): `Enum "E" cannot represent non-enum value: "..."` for a string,
 * `Value "..." does not exist in "E" enum.` for a name.
 */
const ENUM_LITERAL = [
  /^Enum "(\w+)" cannot represent non-enum value: /,
  /^Value "(?:[^"\\]|\\.)*" does not exist in "(\w+)" enum\./,
];

/**
 * graphql-js reports a bad inline literal as `Expected value of type "String!", found 987654321; ...` or as
 * `String cannot represent a non string value: 987654321`. The literal is cut out; the type and reason stay.
 */
export function withoutLiteralValue(message: string): string {
  const enumName = ENUM_LITERAL.map((pattern) => pattern.exec(message)?.[1]).find(Boolean);
  if (enumName) {
    // graphql-js's suggestion names the enum's own values only: it stays.
    const suggestion = / Did you mean [^"]*(?:"\w+"[^"]*)+\?$/.exec(message)?.[0] ?? '';
    return `Value not in enum "${enumName}".${suggestion}`;
  }
  const scalar = /^(\w+ cannot represent [\w -]+? value)(?:: |$)/;
  const plain = scalar.exec(message);
  if (plain) return `${plain[1]}.`;
  const head = /^Expected value of type "([^"]+)", found /.exec(message);
  if (!head) return message;
  const separator = message.lastIndexOf('; ');
  const reason = separator === -1 ? null : scalar.exec(message.slice(separator + 2));
  return `Expected value of type "${head[1]}"${reason ? `; ${reason[1]}` : ''}.`;
}

/**
 * graphql-js's syntax errors quote the token they stumbled on (`Unexpected String "hunter2"`), which may be
 * an inline password or code. The kind of token stays; its text goes.
 */
export function withoutTokenValue(message: string): string {
  if (!message.startsWith('Syntax Error:')) return message;
  return message.replace(/\b(Name|String|BlockString|Int|Float) "(?:[^"\\]|\\.)*"/g, '$1');
}
