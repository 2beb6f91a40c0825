import { describe, expect, it } from 'vitest';
import { CognitoError } from '../../../src/local-cognito/errors';
import { readAttributes, readStrings } from '../../../src/local-cognito/validation';
import { thrownBy } from '../../support/thrown';

const thrown = (fn: () => unknown): CognitoError => thrownBy(CognitoError, fn);

describe('local Cognito request validation', () => {
  it('reports every missing required member in one Cognito-style message', () => {
    const error = thrown(() => readStrings({}, ['ClientId', 'Username']));

    expect(error.type).toBe('InvalidParameterException');
    expect(error.message).toBe(
      "2 validation errors detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'username' failed to satisfy constraint: Member must not be null",
    );
  });

  it('treats an explicit JSON null like a missing member', () => {
    const error = thrown(() => readStrings({ Username: null }, ['Username']));

    expect(error.message).toBe(
      "1 validation error detected: Value null at 'username' failed to satisfy constraint: Member must not be null",
    );
  });

  it('fails to deserialise a member of the wrong JSON type with SerializationException', () => {
    const error = thrown(() => readStrings({ Username: 42 }, ['Username']));

    expect(error.type).toBe('SerializationException');
    expect(error.message).toBe('NUMBER_VALUE can not be converted to a String');
  });

  it('rejects an empty sensitive member without echoing its value', () => {
    const error = thrown(() => readStrings({ ClientId: '' }, ['ClientId']));

    expect(error.message).toBe(
      "1 validation error detected: Value at 'clientId' failed to satisfy constraint: " +
        'Member must have length greater than or equal to 1',
    );
  });

  it('rejects a username containing whitespace against the Cognito username pattern', () => {
    const error = thrown(() => readStrings({ Username: 'jane doe' }, ['Username']));

    expect(error.type).toBe('InvalidParameterException');
    expect(error.message).toContain('Member must satisfy regular expression pattern');
  });

  it('accepts a non-ASCII username', () => {
    expect(readStrings({ Username: 'jöhn' }, ['Username'])).toEqual({ Username: 'jöhn' });
  });

  it('leaves absent optional members out of the result', () => {
    expect(readStrings({ ClientId: 'c' }, ['ClientId'], ['SecretHash'])).toEqual({ ClientId: 'c' });
  });

  it('names the list member whose attribute Name is missing', () => {
    const error = thrown(() =>
      readAttributes({ UserAttributes: [{ Name: 'email', Value: 'a@b' }, { Value: 'x' }] }, 'UserAttributes'),
    );

    expect(error.message).toBe(
      "1 validation error detected: Value null at 'userAttributes.2.member.name' failed to satisfy constraint: " +
        'Member must not be null',
    );
  });
});
