// Abuse protection over HTTP: one request cannot fan out into many Cognito calls, and the gateway's own
// limits refuse before Cognito is asked.
import { connect } from 'node:net';
import { setTimeout } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../support/gateway-harness';
import { resend } from '../support/user-pool-requests';

const PROTECTED = {
  LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '60',
  LIMIT_RESEND_USERNAME_PER_HOUR: '5',
  LIMIT_RESEND_IP_PER_HOUR: '30',
};
const FIELDS = 'codeDeliveryDetails { destination deliveryMedium attributeName }';

// Its own document on purpose: many aliased resends in one operation, the fan-out these limits refuse.
function aliased(usernames: string[]): { query: string } {
  const fields = usernames.map(
    (username, i) =>
      `a${i}: resendConfirmationCode(input: { username: ${JSON.stringify(username)} }) { ${FIELDS} }`,
  );
  return { query: `mutation Attack { ${fields.join('\n')} }` };
}

function resendCalls(h: Harness): number {
  return h.standIn.calls.filter((c) => c.action === 'ResendConfirmationCode').length;
}

describe('with the default operation limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: PROTECTED });
  });
  afterAll(() => h.close());

  it('refuses one request with 50 aliased resends before any reaches Cognito (200 in application/json, per GraphQL-over-HTTP)', async () => {
    await h.signUp('alias.victim');
    h.standIn.calls.length = 0;
    const res = await h.graphql(aliased(Array(50).fill('alias.victim')));
    expect(res.status).toBe(200);
    expect(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED']).toContain(
      res.body.errors[0].extensions.code,
    );
    expect(resendCalls(h)).toBe(0);
  });

  it('refuses a sixth alias with GRAPHQL_VALIDATION_FAILED (200 in application/json, per GraphQL-over-HTTP)', async () => {
    h.standIn.calls.length = 0;
    const res = await h.graphql(aliased(['six.a', 'six.b', 'six.c', 'six.d', 'six.e', 'six.f']));
    expect(res.status).toBe(200);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors[0].message).toMatch(/aliases/i);
    expect(resendCalls(h)).toBe(0);
  });

  it('allows up to 5 aliases in one operation', async () => {
    const names = ['five.a', 'five.b', 'five.c', 'five.d', 'five.e'];
    for (const n of names) await h.signUp(n);
    h.standIn.calls.length = 0;
    const res = await h.graphql(aliased(names));
    expect(res.body.errors).toBeUndefined();
    expect(Object.keys(res.body.data)).toHaveLength(5);
    expect(resendCalls(h)).toBe(5);
  });

  it('answers a second resend for the same user within the cooldown with RATE_LIMITED, without calling Cognito', async () => {
    await h.signUp('cooldown.user');
    h.standIn.calls.length = 0;
    expect((await h.graphql(resend({ username: 'cooldown.user' }))).body.errors).toBeUndefined();
    const res = await h.graphql(resend({ username: 'COOLDOWN.user' }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: null,
      errors: [
        {
          message: 'Too many attempts; try again in 60 s.',
          locations: [{ line: 2, column: 3 }],
          path: ['resendConfirmationCode'],
          extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 60 },
        },
      ],
    });
    expect(resendCalls(h)).toBe(1);
  });

  it('refuses a document with more than 1,000 tokens before validating it (200 in application/json, per GraphQL-over-HTTP)', async () => {
    const res = await h.graphql({ query: `{ ${'__typename '.repeat(1_100)} }` });
    expect(res.status).toBe(200);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(res.body.errors[0].message).toMatch(/Document contains more th[ae][nt] 1000 tokens/);
  });
});

describe('with the alias limit raised, the abuse limiter still counts every executed field', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { ...PROTECTED, GRAPHQL_MAX_ALIASES: '100', GRAPHQL_MAX_TOKENS: '100000' },
    });
  });
  afterAll(() => h.close());

  it('sends at most one of 50 aliased resends for one username upstream', async () => {
    await h.signUp('batch.victim');
    h.standIn.calls.length = 0;
    const res = await h.graphql(aliased(Array(50).fill('batch.victim')));
    expect(resendCalls(h)).toBe(1);
    // The payload is non-null, so GraphQL stops a mutation at its first failed field: the second alias is
    // refused by the cooldown and the rest never run.
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toEqual([
      expect.objectContaining({ path: ['a1'], extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 60 } }),
    ]);
  });
});

describe('the per-IP limit counts each aliased field', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...PROTECTED, LIMIT_RESEND_IP_PER_HOUR: '3' } });
  });
  afterAll(() => h.close());

  it('lets three aliased sends for different users through and refuses the fourth', async () => {
    const names = ['ip.a', 'ip.b', 'ip.c', 'ip.d'];
    for (const n of names) await h.signUp(n);
    h.standIn.calls.length = 0;
    const res = await h.graphql(aliased(names));
    expect(resendCalls(h)).toBe(3);
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        path: ['a3'],
        extensions: expect.objectContaining({ code: 'RATE_LIMITED' }),
      }),
    ]);
  });
});

describe('with a depth limit of 2', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...PROTECTED, GRAPHQL_MAX_DEPTH: '2' } });
  });
  afterAll(() => h.close());

  it('refuses an operation nested deeper than the limit before running it (200 in application/json, per GraphQL-over-HTTP)', async () => {
    expect((await h.graphql({ query: '{ serviceInfo { name } }' })).body.errors).toBeUndefined();
    const res = await h.graphql(aliased(['deep.user']));
    expect(res.status).toBe(200);
    expect(res.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors[0].message).toMatch(/depth/i);
    expect(resendCalls(h)).toBe(0);
  });
});

describe('per-IP limit and X-Forwarded-For', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...PROTECTED, LIMIT_RESEND_IP_PER_HOUR: '3' } });
  });
  afterAll(() => h.close());

  it('cannot be escaped by sending a different X-Forwarded-For from an untrusted peer', async () => {
    const results: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await h.graphql(aliased([`spoof.${i}`]), { 'x-forwarded-for': `203.0.113.${i}` });
      results.push(res.body.errors?.[0]?.extensions.code ?? 'OK');
    }
    expect(results.slice(0, 3).every((c) => c !== 'RATE_LIMITED')).toBe(true);
    expect(results.slice(3)).toEqual(['RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
  });
});

describe('behind a trusted proxy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...PROTECTED, LIMIT_RESEND_IP_PER_HOUR: '1', TRUST_PROXY: 'loopback' } });
  });
  afterAll(() => h.close());

  it('counts the per-IP limit by the forwarded client address', async () => {
    const first = await h.graphql(aliased(['proxy.a']), { 'x-forwarded-for': '203.0.113.1' });
    const second = await h.graphql(aliased(['proxy.b']), { 'x-forwarded-for': '203.0.113.2' });
    const again = await h.graphql(aliased(['proxy.c']), { 'x-forwarded-for': '203.0.113.1' });
    expect(first.body.errors?.[0]?.extensions.code).not.toBe('RATE_LIMITED');
    expect(second.body.errors?.[0]?.extensions.code).not.toBe('RATE_LIMITED');
    expect(again.body.errors[0].extensions.code).toBe('RATE_LIMITED');
  });
});

/** A complete POST /graphql written on a raw socket, which is reset the moment the bytes are on their way. */
function postAndReset(url: URL, body: string): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: url.hostname, port: Number(url.port) }, () => {
      socket.write(
        `POST ${url.pathname} HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      socket.resetAndDestroy();
    });
    socket.once('close', () => resolve());
    socket.on('error', () => {});
  });
}

describe('per-IP limit and clients that reset the connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...PROTECTED, LIMIT_RESEND_IP_PER_HOUR: '3' } });
  });
  afterAll(() => h.close());

  it('sends none of 20 reset requests from an exhausted IP to Cognito', async () => {
    for (const n of ['reset.a', 'reset.b', 'reset.c']) await h.graphql(aliased([n]));
    expect((await h.graphql(aliased(['reset.d']))).body.errors[0].extensions.code).toBe('RATE_LIMITED');
    h.standIn.calls.length = 0;

    const url = new URL(h.url);
    for (let i = 0; i < 20; i++) await postAndReset(url, JSON.stringify(aliased([`reset.${i}`])));
    // The reset requests may still be running in the gateway; a later request from the same peer is served
    // after them (one event loop), and a short pause covers a Cognito call already on its way.
    await h.graphql({ query: '{ serviceInfo { name } }' });
    await setTimeout(300);

    expect(resendCalls(h)).toBe(0);
  });
});
