import { describe, expect, it } from 'vitest';
import { statusByMediaType } from '../../../src/http/status-by-media-type';

const JSON_TYPE = 'application/json; charset=utf-8';
const GRAPHQL_RESPONSE_TYPE = 'application/graphql-response+json; charset=utf-8';
const answer = (...codes: string[]) =>
  JSON.stringify({ errors: codes.map((code) => ({ message: 'm', extensions: { code } })) });

describe('statusByMediaType', () => {
  it('answers a request error of a well-formed request 200 in application/json', () => {
    for (const code of [
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
      'OPERATION_RESOLUTION_FAILURE',
      'BAD_USER_INPUT',
    ]) {
      expect(statusByMediaType(400, JSON_TYPE, answer(code, code))).toBe(200);
    }
  });

  it('keeps 400 in application/graphql-response+json, where a client can trust a 4xx', () => {
    expect(statusByMediaType(400, GRAPHQL_RESPONSE_TYPE, answer('GRAPHQL_VALIDATION_FAILED'))).toBe(400);
  });

  it('keeps 400 for a request that is not well-formed, or any error that is not a request error', () => {
    expect(statusByMediaType(400, JSON_TYPE, answer('BAD_REQUEST'))).toBe(400);
    expect(statusByMediaType(400, JSON_TYPE, answer('GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST'))).toBe(400);
    expect(statusByMediaType(400, JSON_TYPE, answer())).toBe(400);
    expect(statusByMediaType(400, JSON_TYPE, 'not json')).toBe(400);
    expect(statusByMediaType(400, JSON_TYPE, '{"errors":[{"message":"no code"}]}')).toBe(400);
  });

  it('leaves every other status alone', () => {
    expect(statusByMediaType(405, JSON_TYPE, answer('BAD_REQUEST'))).toBe(405);
    expect(statusByMediaType(500, JSON_TYPE, answer('GRAPHQL_VALIDATION_FAILED'))).toBe(500);
    expect(statusByMediaType(200, JSON_TYPE, '{"data":{}}')).toBe(200);
  });
});
