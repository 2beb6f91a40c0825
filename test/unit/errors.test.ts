import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { formatError, gatewayError, withoutEchoedValue } from '../../src/errors';

describe('withoutEchoedValue', () => {
  it('cuts the value out of a variable coercion error, keeping variable, path and reason', () => {
    expect(
      withoutEchoedValue(
        'Variable "$input" got invalid value { username: "hunter2" } at "input.username"; String cannot represent a non string value: { secret: "hunter2" }',
      ),
    ).toBe('Variable "$input" got an invalid value at "input.username".');
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
      'Variable "$input" got invalid value { username: "a; b at \\"input.x\\"; secret" } at "input.username"; Expected type "String".',
    );
    expect(message).toBe(
      'Variable "$input" got an invalid value at "input.username". Expected type "String".',
    );
    expect(message).not.toContain('secret');
  });

  it('leaves other messages alone', () => {
    expect(withoutEchoedValue('Syntax Error: Expected Name, found <EOF>.')).toBe(
      'Syntax Error: Expected Name, found <EOF>.',
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

  it('masks GraphQL errors with a code outside the documented set', () => {
    const error = new GraphQLError('library internals', { extensions: { code: 'SOMETHING_ELSE' } });
    expect(
      formatError({ message: error.message, extensions: { code: 'SOMETHING_ELSE' } }, error).extensions,
    ).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
  });
});
