import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { gatewayError } from '../../../src/errors';
import {
  formatError,
  withoutEchoedValue,
  withoutLiteralValue,
  withoutTokenValue,
} from '../../../src/graphql/format-error';

describe('withoutEchoedValue', () => {
  it('cuts the value out of a variable coercion error, keeping variable, path and reason', () => {
    expect(
      withoutEchoedValue(
        'Variable "$input" got invalid value { username: "hunter2" } at "input.username"; String cannot represent a non string value: { secret: "hunter2" }',
      ),
    ).toBe(
      'Variable "$input" got an invalid value at "input.username". String cannot represent a non string value.',
    );
  });

  it('keeps a reason that carries no value', () => {
    expect(
      withoutEchoedValue(
        'Variable "$input" got invalid value { clientId: "x" }; Field "clientId" is not defined by type "ResendConfirmationCodeInput".',
      ),
    ).toBe(
      'Variable "$input" got an invalid value. Field "clientId" is not defined by type "ResendConfirmationCodeInput".',
    );
  });

  it('is not fooled by separators inside the value', () => {
    const message = withoutEchoedValue(
      'Variable "$input" got invalid value ["a; b at \\"input.x\\"; secret"] at "input.username"; String cannot represent a non string value: ["a; b at \\"input.x\\"; secret"]',
    );
    expect(message).toBe(
      'Variable "$input" got an invalid value at "input.username". String cannot represent a non string value.',
    );
    expect(message).not.toContain('secret');
  });

  it('drops a reason that is not one of the value-free forms', () => {
    expect(withoutEchoedValue('Variable "$input" got invalid value "x"; Expected "hunter2" somewhere.')).toBe(
      'Variable "$input" got an invalid value.',
    );
  });

  it('leaves other messages alone', () => {
    expect(withoutEchoedValue('Syntax Error: Expected Name, found <EOF>.')).toBe(
      'Syntax Error: Expected Name, found <EOF>.',
    );
  });
});

describe('withoutLiteralValue', () => {
  it('cuts an inline literal out of a validation error, keeping type and reason', () => {
    expect(
      withoutLiteralValue(
        'Expected value of type "String!", found 987654321; String cannot represent a non string value: 987654321',
      ),
    ).toBe('Expected value of type "String!"; String cannot represent a non string value.');
  });

  it("cuts the literal out of a scalar's own message", () => {
    expect(withoutLiteralValue('String cannot represent a non string value: 987654321')).toBe(
      'String cannot represent a non string value.',
    );
  });

  it("cuts an inline enum literal out (a password typed into the wrong field), keeping graphql-js's suggestion of the enum's own values", () => {
    expect(
      withoutLiteralValue(
        'Enum "SignInFactor" cannot represent non-enum value: "my secret pass". Did you mean the enum value "SMS_OTP"?',
      ),
    ).toBe('Value not in enum "SignInFactor". Did you mean the enum value "SMS_OTP"?');
    expect(withoutLiteralValue('Value "hunter2hunter2" does not exist in "SignInFactor" enum.')).toBe(
      'Value not in enum "SignInFactor".',
    );
    // A literal that itself reads like a suggestion is cut with the rest.
    expect(
      withoutLiteralValue(
        'Enum "SignInFactor" cannot represent non-enum value: "a\\" Did you mean \\"secret\\"?".',
      ),
    ).toBe('Value not in enum "SignInFactor".');
  });

  it('drops a reason it does not know to be free of the value', () => {
    expect(withoutLiteralValue('Expected value of type "Int", found "pw; secret"; something: "pw"')).toBe(
      'Expected value of type "Int".',
    );
  });
});

describe('withoutTokenValue', () => {
  it('keeps the kind of token a syntax error stumbled on, not its text', () => {
    expect(withoutTokenValue('Syntax Error: Unexpected String "hunter2-password".')).toBe(
      'Syntax Error: Unexpected String.',
    );
    expect(withoutTokenValue('Syntax Error: Expected Name, found Int "123456".')).toBe(
      'Syntax Error: Expected Name, found Int.',
    );
    expect(withoutTokenValue('Syntax Error: Unexpected Name "_proto__".')).toBe(
      'Syntax Error: Unexpected Name.',
    );
  });

  it('leaves other messages alone', () => {
    expect(withoutTokenValue('Cannot query field "x" on type "Query".')).toBe(
      'Cannot query field "x" on type "Query".',
    );
  });
});

describe('formatError', () => {
  it('passes a gateway error through without a stack trace', () => {
    const error = gatewayError('USER_NOT_FOUND', 'User not found.');
    expect(
      formatError(
        { message: error.message, extensions: { code: 'USER_NOT_FOUND', stacktrace: ['at x'] } },
        error,
      ),
    ).toEqual({
      message: 'User not found.',
      extensions: { code: 'USER_NOT_FOUND' },
    });
  });

  it('masks errors that are not GraphQL errors', () => {
    const formatted = formatError(
      { message: 'boom: /etc/secret', extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      new Error('boom'),
    );
    expect(formatted).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it("masks an INTERNAL_SERVER_ERROR that a library raised, but keeps the gateway's own", () => {
    const library = new GraphQLError('Context creation failed: connect ECONNREFUSED 10.0.0.5:6379', {
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(
      formatError({ message: library.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, library)
        .message,
    ).toBe('Internal server error');
    const ours = gatewayError('INTERNAL_SERVER_ERROR', 'Internal server error');
    expect(
      formatError({ message: ours.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, ours),
    ).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('masks GraphQL errors with a code outside the documented set', () => {
    const error = new GraphQLError('library internals', { extensions: { code: 'SOMETHING_ELSE' } });
    expect(
      formatError({ message: error.message, extensions: { code: 'SOMETHING_ELSE' } }, error).extensions,
    ).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
  });
});
