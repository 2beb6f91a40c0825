import { describe, expect, it } from 'vitest';
import { lastForwardedFor, readRequest } from '../../../src/lambda/events';
import { albEvent, httpApiEvent } from '../../support/lambda-events';

describe('lastForwardedFor', () => {
  it.each([
    ['198.51.100.7', '198.51.100.7'],
    ['6.6.6.6, 198.51.100.7', '198.51.100.7'],
    ['6.6.6.6,198.51.100.7:50312', '198.51.100.7'],
    ['junk, [2001:db8::1]:443', '2001:db8::1'],
    ['198.51.100.7, not-an-address', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, address) => {
    expect(lastForwardedFor(header)).toBe(address);
  });
});

describe('readRequest', () => {
  it("takes an HTTP API stage's name off the path, and only a whole segment of it", () => {
    const path = (rawPath: string, stage: string) =>
      readRequest({ ...httpApiEvent({ stage }), rawPath })?.path;
    expect(path('/prod/graphql', 'prod')).toBe('/graphql');
    expect(path('/prod', 'prod')).toBe('/');
    expect(path('/production/graphql', 'prod')).toBe('/production/graphql');
    expect(path('/graphql', '$default')).toBe('/graphql');
  });

  it('reads the client IP of an HTTP API event from sourceIp alone', () => {
    const event = httpApiEvent({
      sourceIp: '::ffff:198.51.100.9',
      headers: { 'x-forwarded-for': '6.6.6.6' },
    });
    expect(readRequest(event)?.clientIp).toBe('198.51.100.9');
  });

  it('reads neither a REST API event nor an arbitrary object', () => {
    expect(readRequest({ ...httpApiEvent(), version: '1.0' })).toBeUndefined();
    expect(readRequest({ httpMethod: 'POST', path: '/graphql', requestContext: {} })).toBeUndefined();
    expect(readRequest(null)).toBeUndefined();
  });

  it('answers an ALB with its status description, and with lists when its headers came as lists', () => {
    const response = { status: 404, headers: { 'content-type': 'text/plain' }, body: 'Not found' };
    expect(readRequest(albEvent())?.answer(response)).toEqual({
      statusCode: 404,
      statusDescription: '404 Not Found',
      headers: { 'content-type': 'text/plain' },
      body: 'Not found',
      isBase64Encoded: false,
    });
    expect(readRequest(albEvent({ multiValue: true }))?.answer(response)).toMatchObject({
      multiValueHeaders: { 'content-type': ['text/plain'] },
    });
  });
});

describe('the answer to an event', () => {
  const response = {
    status: 200,
    headers: { 'content-type': 'text/plain', 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'] },
    body: 'ok',
  };

  it('gives HTTP API every Set-Cookie in cookies, one header line each', () => {
    const answer = readRequest(httpApiEvent())?.answer(response);
    expect(answer).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/plain' },
      cookies: ['a=1; Path=/', 'b=2; Path=/'],
      body: 'ok',
      isBase64Encoded: false,
    });
  });

  it('gives an ALB with multi-value headers every Set-Cookie in its list', () => {
    const answer = readRequest(albEvent({ multiValue: true }))?.answer(response);
    expect(answer).toMatchObject({
      statusCode: 200,
      multiValueHeaders: { 'content-type': ['text/plain'], 'set-cookie': ['a=1; Path=/', 'b=2; Path=/'] },
    });
  });
});
