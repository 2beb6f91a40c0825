// The proof-of-work challenge over real HTTP: GET /challenge, and signUp, resendConfirmationCode and
// forgotPassword with and without a solved challenge, in each CHALLENGE_MODE. Every refusal is proved by the
// calls that reached the stand-in: none. Challenges are solved with altcha-lib's own solver, as the widget does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLimiterStore } from '../../src/limits/limiter-store';
import { Secret } from '../../src/secret';
import { AltchaVerifier, CHALLENGE_LIFETIME_SECONDS } from '../../src/spend-guard/challenge/altcha-verifier';
import {
  anotherSolution,
  type Challenge,
  fetchChallenge,
  responseOf,
  solve,
  solvedFrom,
  solvedResponse,
} from '../support/challenge';
import { type Harness, startHarness } from '../support/gateway-harness';
import { confirmSignUp, forgotPassword, resend, signUp } from '../support/user-pool-requests';

const KEY = 'integration-challenge-key-0123456789';
/** The lowest cost allowed, so that the tests solve quickly. */
const ALWAYS = { CHALLENGE_MODE: 'always', CHALLENGE_HMAC_KEY: KEY, CHALLENGE_COST: '100' };
const PASSWORD = 'Plum-Tiger-Harbor-93!';
const ORIGIN = 'https://app.example.com';

const REQUIRED = {
  message:
    'This call needs a solved challenge: get one from GET /challenge, solve it and send it as challengeResponse.',
  extensions: { code: 'CHALLENGE_REQUIRED' },
};
const FAILED = {
  message:
    'The challenge response was not accepted (malformed, expired, already used or not issued by this gateway): solve a new challenge.',
  extensions: { code: 'CHALLENGE_FAILED' },
};

function errorOf(res: { body: { data?: unknown; errors?: Array<Record<string, unknown>> } }) {
  const [error] = res.body.errors ?? [];
  return error && { message: error.message, extensions: error.extensions };
}

function upstreamCalls(h: Harness, action?: string): number {
  return h.standIn.calls.filter((call) => action === undefined || call.action === action).length;
}

function newUser(name: string, challengeResponse?: string) {
  return signUp({
    username: name,
    password: PASSWORD,
    userAttributes: [{ name: 'email', value: `${name}@example.com` }],
    ...(challengeResponse !== undefined && { challengeResponse }),
  });
}

/** A challenge signed with the gateway's own key but issued at `issuedAt`, through the verifier's API. */
function challengeIssuedAt(issuedAt: number, key = KEY): Promise<Challenge> {
  return new AltchaVerifier({
    hmacKey: new Secret(key),
    cost: 100,
    replay: memoryLimiterStore().createLimiter(AltchaVerifier.replayRule),
    now: () => issuedAt,
  }).issue();
}

describe('with CHALLENGE_MODE=always', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...ALWAYS, CORS_ORIGINS: ORIGIN } });
  });
  afterAll(() => h.close());
  const challengeUrl = () => h.url.replace(/\/graphql$/, '/challenge');

  it('serves a signed ALTCHA challenge at GET /challenge, uncached, with the CORS of /graphql', async () => {
    const res = await fetch(challengeUrl(), { headers: { origin: ORIGIN } });
    expect(res.status).toBe(200);
    expect(Object.fromEntries(res.headers)).toMatchObject({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'access-control-allow-origin': ORIGIN,
    });
    const challenge = (await res.json()) as Challenge;
    expect(challenge).toEqual({
      parameters: {
        algorithm: 'PBKDF2/SHA-256',
        cost: 100,
        keyLength: 32,
        keyPrefix: '00',
        nonce: expect.stringMatching(/^[0-9a-f]{32}$/),
        salt: expect.stringMatching(/^[0-9a-f]{32}$/),
        expiresAt: expect.any(Number),
      },
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const lifetime = (challenge.parameters.expiresAt ?? 0) - Date.now() / 1000;
    expect(lifetime).toBeGreaterThan(CHALLENGE_LIFETIME_SECONDS - 5);
    expect(lifetime).toBeLessThanOrEqual(CHALLENGE_LIFETIME_SECONDS);

    const elsewhere = await fetch(challengeUrl(), { headers: { origin: 'https://evil.example' } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(challengeUrl(), {
      method: 'OPTIONS',
      headers: { origin: ORIGIN, 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const head = await fetch(challengeUrl(), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await fetch(challengeUrl(), { method: 'POST' })).status).toBe(404);
  });

  it('answers a signUp without challengeResponse with CHALLENGE_REQUIRED, and nothing reaches Cognito', async () => {
    h.standIn.calls.length = 0;
    const res = await h.graphql(newUser('no.challenge'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      data: null,
      errors: [{ ...REQUIRED, path: ['signUp'], locations: [{ line: 2, column: 3 }] }],
    });
    expect(upstreamCalls(h)).toBe(0);
  });

  it('signs up with a solved challenge, and refuses the same solution a second time with nothing sent', async () => {
    const response = await solvedFrom(h.url);
    h.standIn.calls.length = 0;
    const first = await h.graphql(newUser('solved.once', response));
    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.signUp.userConfirmed).toBe(false);
    expect(upstreamCalls(h, 'SignUp')).toBe(1);
    // The challenge is the gateway's business: Cognito never sees it.
    expect(JSON.stringify(h.standIn.calls[0]?.body)).not.toContain(response);

    const again = await h.graphql(newUser('solved.twice', response));
    expect(errorOf(again)).toEqual(FAILED);
    expect(upstreamCalls(h)).toBe(1);
  });

  it('refuses a second solution of a challenge already used, and a solution used for signUp in forgotPassword', async () => {
    const challenge = await fetchChallenge(h.url);
    const first = await solve(challenge);
    const second = await anotherSolution(challenge, first);
    expect(
      (await h.graphql(newUser('two.solutions', responseOf(challenge, first)))).body.errors,
    ).toBeUndefined();
    h.standIn.calls.length = 0;
    expect(errorOf(await h.graphql(newUser('two.solutions.b', responseOf(challenge, second))))).toEqual(
      FAILED,
    );
    const reused = forgotPassword({
      username: 'two.solutions',
      challengeResponse: responseOf(challenge, first),
    });
    expect(errorOf(await h.graphql(reused))).toEqual(FAILED);
    expect(upstreamCalls(h)).toBe(0);
  });

  it('lets one of two aliased signUps carrying one solution through', async () => {
    const response = await solvedFrom(h.url);
    h.standIn.calls.length = 0;
    // Its own document on purpose: two aliased signUp fields in one operation, one solution between them.
    const field = (alias: string, username: string) =>
      `${alias}: signUp(input: { username: "${username}", password: "${PASSWORD}", challengeResponse: "${response}" }) { userSub }`;
    const res = await h.graphql({
      query: `mutation { ${field('a', 'alias.one')} ${field('b', 'alias.two')} }`,
    });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: ['b'], ...FAILED })]);
    expect(upstreamCalls(h, 'SignUp')).toBe(1);
  });

  it('asks resendConfirmationCode and forgotPassword for a challenge too, and passes them with one', async () => {
    await h.signUp('resend.user');
    h.standIn.calls.length = 0;
    expect(errorOf(await h.graphql(resend({ username: 'resend.user' })))).toEqual(REQUIRED);
    expect(errorOf(await h.graphql(forgotPassword({ username: 'resend.user' })))).toEqual(REQUIRED);
    expect(upstreamCalls(h)).toBe(0);

    const resent = await h.graphql(
      resend({ username: 'resend.user', challengeResponse: await solvedFrom(h.url) }),
    );
    expect(resent.body.errors).toBeUndefined();
    const forgot = await h.graphql(
      forgotPassword({ username: 'resend.user', challengeResponse: await solvedFrom(h.url) }),
    );
    // Cognito answered (an unconfirmed user has nowhere to send a reset code): the gateway let it through.
    expect(errorOf(forgot)?.extensions).toEqual({ code: 'NO_RECOVERY_DESTINATION' });
    expect(h.standIn.calls.map((c) => c.action)).toEqual(['ResendConfirmationCode', 'ForgotPassword']);
  });

  it('never asks confirmSignUp for a challenge, which has no challengeResponse field (a variable coercion failure: 200 in application/json, per GraphQL-over-HTTP)', async () => {
    await h.signUp('confirm.user');
    const code = h.standIn.outbox.latestCode('confirm.user');
    const res = await h.graphql(confirmSignUp({ username: 'confirm.user', confirmationCode: code }));
    expect(res.body).toEqual({ data: { confirmSignUp: { confirmed: true, session: expect.any(String) } } });
    const withField = await h.graphql(
      confirmSignUp({ username: 'confirm.user', confirmationCode: code, challengeResponse: 'x' }),
    );
    expect(withField.status).toBe(200);
    expect(withField.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses forged responses as CHALLENGE_FAILED with nothing sent: tampered, of another key, garbage, at the size limit', async () => {
    const challenge = await fetchChallenge(h.url);
    const solution = await solve(challenge);
    const otherKey = await challengeIssuedAt(Date.now(), 'another-gateway-key-0123456789abcdef');
    const forgeries = [
      responseOf({ ...challenge, signature: 'a'.repeat(64) }, solution),
      responseOf({ ...challenge, parameters: { ...challenge.parameters, salt: '0'.repeat(32) } }, solution),
      responseOf(challenge, { ...solution, counter: solution.counter + 1 }),
      await solvedResponse(otherKey),
      'garbage',
      Buffer.from('{"challenge":{},"solution":{}}').toString('base64'),
      Buffer.from(JSON.stringify({ challenge: null, solution: null, test: true })).toString('base64'),
      'A'.repeat(4096),
    ];
    h.standIn.calls.length = 0;
    for (const [i, challengeResponse] of forgeries.entries()) {
      const res = await h.graphql(newUser(`forged.${i}`, challengeResponse));
      expect({ i, error: errorOf(res) }).toEqual({ i, error: FAILED });
    }
    // Past its bound the field fails validation like any other, and the value is not echoed.
    const huge = await h.graphql(newUser('forged.huge', 'A'.repeat(4097)));
    expect(huge.body.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [
        { path: 'input.challengeResponse', messages: ['challengeResponse must be 1 to 4096 characters'] },
      ],
    });
    expect(JSON.stringify(huge.body)).not.toContain('AAAA');
    expect(upstreamCalls(h)).toBe(0);
    // None of those used the challenge up.
    expect(
      (await h.graphql(newUser('forged.real', responseOf(challenge, solution)))).body.errors,
    ).toBeUndefined();
  });

  it('refuses a solved challenge past its 5 minutes, signed with the gateway’s own key', async () => {
    const expired = await challengeIssuedAt(Date.now() - (CHALLENGE_LIFETIME_SECONDS + 1) * 1000);
    h.standIn.calls.length = 0;
    expect(errorOf(await h.graphql(newUser('too.late', await solvedResponse(expired))))).toEqual(FAILED);
    // Within its lifetime, the same kind of challenge passes.
    const recent = await challengeIssuedAt(Date.now() - (CHALLENGE_LIFETIME_SECONDS - 30) * 1000);
    expect(
      (await h.graphql(newUser('just.in.time', await solvedResponse(recent)))).body.errors,
    ).toBeUndefined();
    expect(upstreamCalls(h, 'SignUp')).toBe(1);
  });

  it('never logs the challenge response', async () => {
    const response = await solvedFrom(h.url);
    await h.graphql(newUser('logged.user', response));
    await h.graphql(newUser('logged.again', response));
    expect(h.logs.join('\n')).not.toContain(response.slice(0, 40));
  });

  it('counts challenges issued, passed, required and failed in /metrics', async () => {
    const text = await (await fetch(h.url.replace(/\/graphql$/, '/metrics'))).text();
    for (const result of ['issued', 'passed', 'required', 'failed']) {
      expect(text).toMatch(new RegExp(`^gateway_challenges_total\\{result="${result}"\\} [1-9]\\d*$`, 'm'));
    }
  });

  it('says which mode it runs in, in serviceInfo', async () => {
    const res = await h.graphql({ query: '{ serviceInfo { challengeMode } }' });
    expect(res.body).toEqual({ data: { serviceInfo: { challengeMode: 'ALWAYS' } } });
  });
});

describe('a challenge from another gateway', () => {
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    a = await startHarness({ env: ALWAYS });
    b = await startHarness({
      env: { ...ALWAYS, CHALLENGE_HMAC_KEY: 'gateway-b-has-its-own-key-0123456789' },
    });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('is refused when that gateway signs with another key, and accepted where it was issued', async () => {
    const fromB = await solvedFrom(b.url);
    expect(errorOf(await a.graphql(newUser('wrong.gateway', fromB)))).toEqual(FAILED);
    expect(upstreamCalls(a)).toBe(0);
    expect((await b.graphql(newUser('right.gateway', fromB))).body.errors).toBeUndefined();
  });
});

describe('a refused challenge', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...ALWAYS, LIMIT_SIGN_UP_IP_PER_HOUR: '1' } });
  });
  afterAll(() => h.close());

  it('takes no point from the limits: after missing and failed challenges the one sign-up allowed still passes', async () => {
    expect(errorOf(await h.graphql(newUser('limit.a')))).toEqual(REQUIRED);
    expect(errorOf(await h.graphql(newUser('limit.b', 'garbage')))).toEqual(FAILED);
    expect((await h.graphql(newUser('limit.c', await solvedFrom(h.url)))).body.errors).toBeUndefined();
    const next = await h.graphql(newUser('limit.d', await solvedFrom(h.url)));
    expect(next.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(upstreamCalls(h, 'SignUp')).toBe(1);
  });
});

describe('with CHALLENGE_MODE=adaptive and 4 sign-ups per IP an hour', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { ...ALWAYS, CHALLENGE_MODE: 'adaptive', LIMIT_SIGN_UP_IP_PER_HOUR: '4' },
    });
  });
  afterAll(() => h.close());

  it('asks nothing until the IP’s limit is more than half used, then asks, passes a solved one, and leaves a used-up limit to RATE_LIMITED', async () => {
    for (const name of ['adaptive.1', 'adaptive.2', 'adaptive.3']) {
      const res = await h.graphql(newUser(name));
      expect({ name, errors: res.body.errors }).toEqual({ name, errors: undefined });
    }
    // 3 of 4 used: past half.
    h.standIn.calls.length = 0;
    expect(errorOf(await h.graphql(newUser('adaptive.4')))).toEqual(REQUIRED);
    expect(errorOf(await h.graphql(newUser('adaptive.4', 'garbage')))).toEqual(FAILED);
    expect(upstreamCalls(h)).toBe(0);
    expect((await h.graphql(newUser('adaptive.4', await solvedFrom(h.url)))).body.errors).toBeUndefined();
    // 4 of 4: the limit refuses, and no challenge would help.
    const fifth = await h.graphql(newUser('adaptive.5'));
    expect(fifth.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(upstreamCalls(h, 'SignUp')).toBe(1);
  });

  it('never asks confirmSignUp for one, however used the sign-up limits are', async () => {
    const code = h.standIn.outbox.latestCode('adaptive.1');
    const res = await h.graphql(confirmSignUp({ username: 'adaptive.1', confirmationCode: code }));
    expect(res.body).toEqual({ data: { confirmSignUp: { confirmed: true, session: expect.any(String) } } });
  });

  it('serves GET /challenge and says ADAPTIVE in serviceInfo', async () => {
    expect((await fetchChallenge(h.url)).parameters.algorithm).toBe('PBKDF2/SHA-256');
    const res = await h.graphql({ query: '{ serviceInfo { challengeMode } }' });
    expect(res.body.data.serviceInfo.challengeMode).toBe('ADAPTIVE');
  });
});

describe('with CHALLENGE_MODE=off (the default)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('serves no GET /challenge, asks nothing, and ignores a challengeResponse that is sent', async () => {
    expect((await fetch(h.url.replace(/\/graphql$/, '/challenge'))).status).toBe(404);
    expect((await h.graphql(newUser('off.plain'))).body.errors).toBeUndefined();
    expect((await h.graphql(newUser('off.garbage', 'garbage'))).body.errors).toBeUndefined();
    const res = await h.graphql({ query: '{ serviceInfo { challengeMode } }' });
    expect(res.body.data.serviceInfo.challengeMode).toBe('OFF');
  });
});
