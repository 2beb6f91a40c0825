import { describe, expect, it } from 'vitest';
import { corsOutcome } from '../../../src/http/cors';

const ORIGIN = 'https://app.example.com';
const origins = new Set([ORIGIN]);

describe('corsOutcome', () => {
  it('adds nothing for a request without Origin or from an origin not allowed, preflight or not', () => {
    expect(corsOutcome('POST', undefined, undefined, origins)).toEqual({ kind: 'none' });
    expect(corsOutcome('OPTIONS', undefined, 'content-type', origins)).toEqual({ kind: 'none' });
    expect(corsOutcome('POST', 'https://evil.example', undefined, origins)).toEqual({ kind: 'none' });
    expect(corsOutcome('OPTIONS', 'https://evil.example', 'content-type', origins)).toEqual({ kind: 'none' });
  });

  it('reflects an allowed origin on an actual request, varying by Origin', () => {
    expect(corsOutcome('POST', ORIGIN, undefined, origins)).toEqual({
      kind: 'headers',
      headers: { 'access-control-allow-origin': ORIGIN, vary: 'Origin' },
    });
  });

  it('answers the preflight of an allowed origin with the methods, the requested headers and a max age', () => {
    expect(corsOutcome('options', ORIGIN, 'content-type,x-analytics-endpoint-id', origins)).toEqual({
      kind: 'preflight',
      headers: {
        'access-control-allow-origin': ORIGIN,
        vary: 'Origin, Access-Control-Request-Headers',
        'access-control-allow-methods': 'GET,POST,OPTIONS',
        'access-control-allow-headers': 'content-type,x-analytics-endpoint-id',
        'access-control-max-age': '600',
        'content-length': '0',
      },
    });
  });

  it('names no allowed headers in a preflight that requests none', () => {
    const outcome = corsOutcome('OPTIONS', ORIGIN, undefined, origins);
    expect(outcome.kind === 'preflight' && 'access-control-allow-headers' in outcome.headers).toBe(false);
  });
});
