// Sign-in through the gateway over real HTTP against the local stand-in, with the real SDK behind it: sign up,
// confirm, signed in with confirmSignUp's session (no second code), refresh, sign out; password sign-in with
// each challenge. The refresh token never appears in a response body: it lives in a sealed __Host- cookie,
// which is what an attacker would steal, replay, forge or send from another site, and each of those fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from '../support/answers';
import {
  type GatewayHarness,
  type GraphQLResponse,
  type Harness,
  startGatewayHarness,
  startHarness,
} from '../support/gateway-harness';
import {
  confirmSignUp,
  refreshTokens,
  respondToSignInChallenge,
  signIn,
  signOut,
  signUpWith,
  TEST_PASSWORD,
} from '../support/operations';

const COOKIE = '__Host-cognito-refresh';
const ORIGIN = 'https://app.example.com';
const SESSION_KEY_A = 'pZ1qJ9xW0m3V7yKc2nT5rB8dF4hL6sG0aE1uI9oQ2wY=';
const SESSION_KEY_B = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/** The session cookie's value a response set, or undefined; '' when it cleared the cookie. */
function setCookie(res: GraphQLResponse): string | undefined {
  const line = res.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`));
  if (line === undefined) return undefined;
  return /Max-Age=0(;|$)/.test(line) ? '' : line.slice(COOKIE.length + 1, line.indexOf(';'));
}

function withCookie(value: string, extra: Record<string, string> = {}): Record<string, string> {
  return { cookie: `${COOKIE}=${value}`, ...extra };
}

/** Another gateway in front of the same pool and app client, with its own session keys. */
function sameClient(h: Harness, keys: string): Promise<GatewayHarness> {
  const { url } = h.standIn;
  return startGatewayHarness(
    { url, poolId: h.poolId, clientId: h.clientId, clientSecret: h.clientSecret },
    { env: { SESSION_KEYS: keys } },
  );
}

async function confirmedUser(h: Harness, username: string): Promise<string> {
  await h.graphql(signUpWith(username, { email: username }));
  const confirmed = await h.graphql(
    confirmSignUp({ username, confirmationCode: h.standIn.outbox.latestCode(username) }),
  );
  expect(confirmed.body.data?.confirmSignUp.confirmed).toBe(true);
  return confirmed.body.data.confirmSignUp.session as string;
}

describe('sign-in through the gateway', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SESSION_KEYS: SESSION_KEY_A, CORS_ORIGINS: ORIGIN } });
  });
  afterAll(() => h.close());

  it('signs a new user in with the session confirmSignUp answered, then refreshes, then signs out', async () => {
    const username = 'fresh@example.com';
    const session = await confirmedUser(h, username);
    expect(session).toEqual(expect.any(String));

    const signedIn = await h.graphql(signIn({ username, session }));
    expect(codeOf(signedIn)).toBe('OK');
    const tokens = signedIn.body.data.signIn.tokens;
    expect(tokens).toMatchObject({ tokenType: 'Bearer', expiresIn: 3600, refreshToken: null });
    expect(tokens.accessToken.split('.')).toHaveLength(3);
    expect(signedIn.body.data.signIn.nextStep).toBeNull();
    expect(signedIn.headers.get('cache-control')).toBe('no-store');
    const line = signedIn.headers.getSetCookie().find((c) => c.startsWith(`${COOKIE}=`)) ?? '';
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; SameSite=Strict/);
    expect(line).toMatch(/; Path=\//);
    expect(line).not.toMatch(/Domain=/i);
    const cookie = setCookie(signedIn) ?? '';
    expect(cookie.length).toBeGreaterThan(100);

    const refreshed = await h.graphql(refreshTokens(), withCookie(cookie));
    expect(codeOf(refreshed)).toBe('OK');
    expect(refreshed.body.data.refreshTokens.tokens.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.body.data.refreshTokens.tokens.refreshToken).toBeNull();

    const out = await h.graphql(signOut(), withCookie(cookie));
    expect(out.body.data).toEqual({ signOut: { signedOut: true } });
    expect(setCookie(out)).toBe('');

    // A copy of the cookie kept from before the sign-out (a stolen one) is dead: Cognito revoked its token.
    const replayed = await h.graphql(refreshTokens(), withCookie(cookie));
    expect(codeOf(replayed)).toBe('NOT_SIGNED_IN');
    expect(setCookie(replayed)).toBe('');
  });

  it('signs in with the password, and never sends the refresh token in a body or a log', async () => {
    const username = 'password@example.com';
    await confirmedUser(h, username);
    const signedIn = await h.graphql(signIn({ username, password: TEST_PASSWORD }));
    expect(codeOf(signedIn)).toBe('OK');
    const request = h.standIn.calls.filter((c) => c.action === 'InitiateAuth').at(-1)?.body;
    expect(request).toMatchObject({
      AuthFlow: 'USER_AUTH',
      AuthParameters: {
        USERNAME: username,
        PREFERRED_CHALLENGE: 'PASSWORD',
        SECRET_HASH: expect.any(String),
      },
    });
    const logs = h.logs.join('\n');
    expect(logs).not.toContain(TEST_PASSWORD);
    expect(logs).not.toContain(signedIn.body.data.signIn.tokens.accessToken);
    expect(logs).not.toContain(setCookie(signedIn));
  });

  it('answers a wrong password and an unknown user alike where the pool prevents user existence errors', async () => {
    const pue = await startHarness({
      standIn: h.standIn,
      pool: { preventUserExistenceErrors: true },
      env: { SESSION_KEYS: SESSION_KEY_A },
    });
    try {
      await confirmedUser(pue, 'known@example.com');
      const wrong = await pue.graphql(
        signIn({ username: 'known@example.com', password: 'not-the-password' }),
      );
      const unknown = await pue.graphql(
        signIn({ username: 'nobody@example.com', password: 'not-the-password' }),
      );
      expect(wrong.body.errors).toEqual(unknown.body.errors);
      expect(codeOf(wrong)).toBe('NOT_AUTHORIZED');
      expect(wrong.body.errors[0].message).toBe('Incorrect username or password.');
    } finally {
      await pue.close();
    }
  });

  it('refuses a forged cookie, a changed one, and one sealed under a key this gateway does not hold', async () => {
    const username = 'forger@example.com';
    await confirmedUser(h, username);
    const cookie = setCookie(await h.graphql(signIn({ username, password: TEST_PASSWORD }))) ?? '';
    const flipped = `${cookie.slice(0, 40)}${cookie[40] === 'A' ? 'B' : 'A'}${cookie.slice(41)}`;
    for (const value of ['forged', flipped, `${cookie}x`]) {
      const res = await h.graphql(refreshTokens(), withCookie(value));
      expect(codeOf(res)).toBe('NOT_SIGNED_IN');
      expect(setCookie(res)).toBe('');
    }
    // Another gateway with other keys (another deployment, or keys rotated out) cannot open this one's cookie:
    // it never asks Cognito.
    const other = await sameClient(h, SESSION_KEY_B);
    try {
      const before = h.standIn.calls.length;
      expect(codeOf(await other.graphql(refreshTokens(), withCookie(cookie)))).toBe('NOT_SIGNED_IN');
      expect(h.standIn.calls.length).toBe(before);
    } finally {
      await other.close();
    }
    // The genuine cookie still works here.
    expect(codeOf(await h.graphql(refreshTokens(), withCookie(cookie)))).toBe('OK');
  });

  it('keeps opening cookies sealed before a key rotation, and seals them again under the new key', async () => {
    const username = 'rotated@example.com';
    await confirmedUser(h, username);
    const cookie = setCookie(await h.graphql(signIn({ username, password: TEST_PASSWORD }))) ?? '';
    const rotated = await sameClient(h, `${SESSION_KEY_B},${SESSION_KEY_A}`);
    try {
      const res = await rotated.graphql(refreshTokens(), withCookie(cookie));
      expect(codeOf(res)).toBe('OK');
      const resealed = setCookie(res) ?? '';
      expect(resealed).not.toBe('');
      expect(resealed).not.toBe(cookie);
      // Once the old key is retired, only the resealed cookie opens.
      const retired = await sameClient(h, SESSION_KEY_B);
      try {
        expect(codeOf(await retired.graphql(refreshTokens(), withCookie(resealed)))).toBe('OK');
        expect(codeOf(await retired.graphql(refreshTokens(), withCookie(cookie)))).toBe('NOT_SIGNED_IN');
      } finally {
        await retired.close();
      }
    } finally {
      await rotated.close();
    }
  });

  it('ignores the cookie on a request from a page of another site, and allows credentials only to configured origins', async () => {
    const username = 'crosssite@example.com';
    await confirmedUser(h, username);
    const cookie = setCookie(await h.graphql(signIn({ username, password: TEST_PASSWORD }))) ?? '';
    const evil = await h.graphql(refreshTokens(), withCookie(cookie, { origin: 'https://evil.example' }));
    expect(codeOf(evil)).toBe('NOT_SIGNED_IN');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    // The session is untouched by the other site's attempt.
    const mine = await h.graphql(refreshTokens(), withCookie(cookie, { origin: ORIGIN }));
    expect(codeOf(mine)).toBe('OK');
    expect(mine.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(mine.headers.get('access-control-allow-credentials')).toBe('true');
    // A form post (a simple request, no preflight) is refused by CSRF prevention before anything runs.
    const form = await fetch(h.url, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        cookie: `${COOKIE}=${cookie}`,
        origin: 'https://evil.example',
      },
      body: JSON.stringify(signOut()),
    });
    expect(form.status).toBe(400);
    expect(codeOf(await h.graphql(refreshTokens(), withCookie(cookie)))).toBe('OK');
  });

  it('answers NOT_SIGNED_IN without a cookie, and signs out without one as a success', async () => {
    expect(codeOf(await h.graphql(refreshTokens()))).toBe('NOT_SIGNED_IN');
    expect((await h.graphql(signOut())).body.data).toEqual({ signOut: { signedOut: true } });
  });

  it('answers SESSION_EXPIRED for a confirmation session used twice', async () => {
    const username = 'twice@example.com';
    const session = await confirmedUser(h, username);
    expect(codeOf(await h.graphql(signIn({ username, session })))).toBe('OK');
    expect(codeOf(await h.graphql(signIn({ username, session })))).toBe('SESSION_EXPIRED');
  });

  it('refuses a sign-in with both a password and a session, or neither, before anything is sent', async () => {
    const before = h.standIn.calls.length;
    expect(codeOf(await h.graphql(signIn({ username: 'x@example.com' })))).toBe('BAD_USER_INPUT');
    expect(codeOf(await h.graphql(signIn({ username: 'x@example.com', password: 'p', session: 's' })))).toBe(
      'BAD_USER_INPUT',
    );
    expect(h.standIn.calls.length).toBe(before);
  });
});

describe('password sign-in with challenges', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SESSION_KEYS: SESSION_KEY_A } });
  });
  afterAll(() => h.close());

  function seed(username: string, extra: Record<string, unknown> = {}) {
    return h.standIn.seedUser(h.poolId, {
      username,
      password: TEST_PASSWORD,
      attributes: { email: username, phone_number: '+14155550100' },
      verified: ['email', 'phone_number'],
      ...extra,
    });
  }

  async function challengeOf(res: GraphQLResponse) {
    expect(codeOf(res)).toBe('OK');
    return res.body.data.signIn?.nextStep ?? res.body.data.respondToSignInChallenge?.nextStep;
  }

  it('SMS_MFA: a code by SMS, a wrong code refused, the right one signs in', async () => {
    const username = 'sms-mfa@example.com';
    seed(username, { mfa: { enabled: ['SMS_MFA'] } });
    const step = await challengeOf(await h.graphql(signIn({ username, password: TEST_PASSWORD })));
    expect(step).toMatchObject({
      challenge: 'SMS_MFA',
      codeDeliveryDetails: { deliveryMedium: 'SMS', attributeName: 'phone_number' },
    });
    const code = h.standIn.outbox.list({ username, purpose: 'sign-in' }).at(-1)?.code ?? '';
    const answer = { username: step.username, session: step.session, challenge: 'SMS_MFA' };
    const wrong = await h.graphql(
      respondToSignInChallenge({ ...answer, code: code === '000000' ? '111111' : '000000' }),
    );
    expect(codeOf(wrong)).toBe('CODE_MISMATCH');
    const right = await h.graphql(respondToSignInChallenge({ ...answer, code }));
    expect(codeOf(right)).toBe('OK');
    expect(right.body.data.respondToSignInChallenge.tokens.accessToken).toEqual(expect.any(String));
    expect(setCookie(right)).toEqual(expect.any(String));
  });

  it('EMAIL_OTP: a code by email answers the challenge', async () => {
    const username = 'email-mfa@example.com';
    seed(username, { mfa: { enabled: ['EMAIL_OTP'] } });
    const step = await challengeOf(await h.graphql(signIn({ username, password: TEST_PASSWORD })));
    expect(step).toMatchObject({ challenge: 'EMAIL_OTP', codeDeliveryDetails: { deliveryMedium: 'EMAIL' } });
    const code = h.standIn.outbox.list({ username, purpose: 'sign-in' }).at(-1)?.code ?? '';
    const res = await h.graphql(
      respondToSignInChallenge({
        username: step.username,
        session: step.session,
        challenge: 'EMAIL_OTP',
        code,
      }),
    );
    expect(res.body.data.respondToSignInChallenge.tokens).not.toBeNull();
  });

  it('NEW_PASSWORD_REQUIRED: a user with a temporary password chooses one and is signed in', async () => {
    const username = 'invited@example.com';
    seed(username, { status: 'FORCE_CHANGE_PASSWORD' });
    const step = await challengeOf(await h.graphql(signIn({ username, password: TEST_PASSWORD })));
    expect(step.challenge).toBe('NEW_PASSWORD_REQUIRED');
    const res = await h.graphql(
      respondToSignInChallenge({
        username: step.username,
        session: step.session,
        challenge: 'NEW_PASSWORD_REQUIRED',
        newPassword: 'A-brand-new-passw0rd',
      }),
    );
    expect(res.body.data.respondToSignInChallenge.tokens).not.toBeNull();
    expect(codeOf(await h.graphql(signIn({ username, password: 'A-brand-new-passw0rd' })))).toBe('OK');
  });
});
