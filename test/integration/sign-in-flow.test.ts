// Sign-in through the gateway over real HTTP against the local stand-in, with the real SDK behind it: sign up,
// confirm, signed in with confirmSignUp's session (no second code), refresh, sign out; password sign-in with
// each challenge. The refresh token never appears in a response body: it lives in a sealed __Host- cookie,
// which is what an attacker would steal, replay, forge or send from another site, and each of those fails.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCognito, startLocalCognito } from '../../src/local-cognito';
import { base32Decode, totp } from '../../src/local-cognito/totp';
import { codeOf } from '../support/answers';
import {
  type GatewayHarness,
  type GraphQLResponse,
  type Harness,
  startGatewayHarness,
  startHarness,
} from '../support/gateway-harness';
import { ManualClock } from '../support/session-cookies';
import {
  confirmSignUp,
  refreshTokens,
  respondToSignInChallenge,
  signIn,
  signOut,
  signUpWith,
  TEST_PASSWORD,
} from '../support/user-pool-requests';

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

  it('rotates the session keys from SESSION_KEYS_FILE without a restart, as docs/security.md says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'session-keys-'));
    const file = join(dir, 'keys');
    writeFileSync(file, `${SESSION_KEY_A}\n`);
    const g = await startGatewayHarness(
      { url: h.standIn.url, poolId: h.poolId, clientId: h.clientId, clientSecret: h.clientSecret },
      { env: { SESSION_KEYS: '', SESSION_KEYS_FILE: file } },
    );
    try {
      const username = 'keyfile@example.com';
      await confirmedUser(h, username);
      const old = setCookie(await g.graphql(signIn({ username, password: TEST_PASSWORD }))) ?? '';
      // Step 1: the new key first, the old one second; every instance re-reads it (SIGHUP or the watch).
      writeFileSync(file, `${SESSION_KEY_B}\n${SESSION_KEY_A}\n`);
      expect(g.gateway.reloadSessionKeys()).toBe('ok');
      const refreshed = await g.graphql(refreshTokens(), withCookie(old));
      expect(codeOf(refreshed)).toBe('OK');
      const resealed = setCookie(refreshed) ?? '';
      // Step 2: the old key retired: a cookie not refreshed since is signed out, the resealed one lives on.
      writeFileSync(file, `${SESSION_KEY_B}\n`);
      expect(g.gateway.reloadSessionKeys()).toBe('ok');
      expect(codeOf(await g.graphql(refreshTokens(), withCookie(old)))).toBe('NOT_SIGNED_IN');
      expect(codeOf(await g.graphql(refreshTokens(), withCookie(resealed)))).toBe('OK');
      // A broken file is refused and the keys in use stay.
      writeFileSync(file, 'too-short\n');
      expect(g.gateway.reloadSessionKeys()).toBe('invalid');
      expect(codeOf(await g.graphql(refreshTokens(), withCookie(resealed)))).toBe('OK');
    } finally {
      await g.close();
      rmSync(dir, { recursive: true, force: true });
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

  it('refuses a sign-in with two ways in (password and session, a password with a code factor, PASSWORD without one) before anything is sent', async () => {
    const before = h.standIn.calls.length;
    for (const input of [
      { username: 'x@example.com', password: 'p', session: 's' },
      { username: 'x@example.com', password: 'p', preferredChallenge: 'EMAIL_OTP' },
      { username: 'x@example.com', preferredChallenge: 'PASSWORD' },
      { username: 'x@example.com', session: 's', preferredChallenge: 'SMS_OTP' },
    ])
      expect(codeOf(await h.graphql(signIn(input))), JSON.stringify(input)).toBe('BAD_USER_INPUT');
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

describe('sign-in configurations', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SESSION_KEYS: SESSION_KEY_A } });
  });
  afterAll(() => h.close());

  /** A gateway in front of a client of h's pool made with these options. */
  async function gatewayFor(
    client: Parameters<Harness['standIn']['createUserPoolClient']>[1],
    env: Record<string, string>,
  ): Promise<GatewayHarness> {
    const made = h.standIn.createUserPoolClient(h.poolId, { generateSecret: true, ...client });
    return startGatewayHarness(
      {
        url: h.standIn.url,
        poolId: h.poolId,
        clientId: made.clientId,
        clientSecret: made.clientSecret ?? '',
      },
      { env: { SESSION_KEYS: SESSION_KEY_A, ...env } },
    );
  }

  it('signs in with USER_PASSWORD_AUTH and refreshes with REFRESH_TOKEN_AUTH where configured (pools and emulators without USER_AUTH)', async () => {
    const g = await gatewayFor(
      { explicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
      { COGNITO_SIGN_IN_FLOW: 'USER_PASSWORD_AUTH', COGNITO_REFRESH_FLOW: 'REFRESH_TOKEN_AUTH' },
    );
    try {
      const username = 'classic@example.com';
      h.standIn.seedUser(h.poolId, { username, password: TEST_PASSWORD, attributes: { email: username } });
      const signedIn = await g.graphql(signIn({ username, password: TEST_PASSWORD }));
      expect(codeOf(signedIn)).toBe('OK');
      const calls = h.standIn.calls.filter((c) => c.action === 'InitiateAuth');
      expect(calls.at(-1)?.body).toMatchObject({ AuthFlow: 'USER_PASSWORD_AUTH' });
      const refreshed = await g.graphql(refreshTokens(), withCookie(setCookie(signedIn) ?? ''));
      expect(codeOf(refreshed)).toBe('OK');
      expect(h.standIn.calls.filter((c) => c.action === 'InitiateAuth').at(-1)?.body).toMatchObject({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
      });
      // The confirmation session and one-time codes need USER_AUTH: refused before anything is sent, and
      // serviceInfo says so, so that a frontend offers the password alone.
      const before = h.standIn.calls.length;
      for (const input of [{ session: 'x' }, { preferredChallenge: 'EMAIL_OTP' }, {}]) {
        const refused = await g.graphql(signIn({ username, ...input }));
        expect(codeOf(refused)).toBe('BAD_USER_INPUT');
        expect(refused.body.errors[0].message).toContain('COGNITO_SIGN_IN_FLOW=USER_AUTH');
      }
      expect(h.standIn.calls.length).toBe(before);
      const info = await g.graphql({ query: '{ serviceInfo { signInFactors } }' });
      expect(info.body.data.serviceInfo.signInFactors).toEqual(['PASSWORD']);
    } finally {
      await g.close();
    }
  });

  it('keeps the cookie in step when Cognito rotates the refresh token, and the old one dies after the grace period', async () => {
    const g = await gatewayFor(
      {
        explicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        refreshTokenRotation: { retryGracePeriodSeconds: 0 },
      },
      {},
    );
    try {
      const username = 'rotating@example.com';
      h.standIn.seedUser(h.poolId, { username, password: TEST_PASSWORD, attributes: { email: username } });
      const first = setCookie(await g.graphql(signIn({ username, password: TEST_PASSWORD }))) ?? '';
      const refreshed = await g.graphql(refreshTokens(), withCookie(first));
      expect(codeOf(refreshed)).toBe('OK');
      const second = setCookie(refreshed) ?? '';
      expect(second).not.toBe('');
      expect(second).not.toBe(first);
      expect(codeOf(await g.graphql(refreshTokens(), withCookie(second)))).toBe('OK');
      const stale = await g.graphql(refreshTokens(), withCookie(first));
      expect(codeOf(stale)).toBe('NOT_SIGNED_IN');
      expect(setCookie(stale)).toBe('');
    } finally {
      await g.close();
    }
  });

  it('gives native apps the sealed refresh token in the payload with REFRESH_TOKEN_IN_PAYLOAD, and sets no cookie', async () => {
    const g = await gatewayFor(
      { explicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] },
      { REFRESH_TOKEN_IN_PAYLOAD: 'true' },
    );
    try {
      const username = 'native@example.com';
      h.standIn.seedUser(h.poolId, { username, password: TEST_PASSWORD, attributes: { email: username } });
      const signedIn = await g.graphql(signIn({ username, password: TEST_PASSWORD }));
      expect(setCookie(signedIn)).toBeUndefined();
      const sealed = signedIn.body.data.signIn.tokens.refreshToken as string;
      expect(sealed.length).toBeGreaterThan(100);
      const refreshed = await g.graphql(refreshTokens({ refreshToken: sealed }));
      expect(codeOf(refreshed)).toBe('OK');
      expect(codeOf(await g.graphql(refreshTokens({ refreshToken: `${sealed}x` })))).toBe('NOT_SIGNED_IN');
      expect((await g.graphql(signOut({ refreshToken: sealed }))).body.data.signOut.signedOut).toBe(true);
      expect(codeOf(await g.graphql(refreshTokens({ refreshToken: sealed })))).toBe('NOT_SIGNED_IN');
    } finally {
      await g.close();
    }
  });

  it('SOFTWARE_TOKEN_MFA: the code of an authenticator app signs in', async () => {
    const username = 'totp@example.com';
    const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    h.standIn.seedUser(h.poolId, {
      username,
      password: TEST_PASSWORD,
      attributes: { email: username },
      mfa: { enabled: ['SOFTWARE_TOKEN_MFA'] },
      totpSecret: secret,
    });
    const signedIn = await h.graphql(signIn({ username, password: TEST_PASSWORD }));
    const step = signedIn.body.data.signIn.nextStep;
    expect(step.challenge).toBe('SOFTWARE_TOKEN_MFA');
    expect(step.codeDeliveryDetails).toBeNull();
    const code = totp(base32Decode(secret) ?? Buffer.alloc(0), new Date());
    const res = await h.graphql(
      respondToSignInChallenge({
        username: step.username,
        session: step.session,
        challenge: 'SOFTWARE_TOKEN_MFA',
        code,
      }),
    );
    expect(codeOf(res)).toBe('OK');
    expect(res.body.data.respondToSignInChallenge.tokens.idToken).toEqual(expect.any(String));
  });
});

describe('one-time sign-in codes (passwordless) through the gateway', () => {
  const clock = new ManualClock();
  let standIn: LocalCognito;
  let h: Harness;
  beforeAll(async () => {
    standIn = await startLocalCognito({ clock });
    h = await startHarness({ standIn, env: { SESSION_KEYS: SESSION_KEY_A } });
  });
  afterAll(async () => {
    await h.close();
    await standIn.close();
  });

  function seed(username: string, verified: Array<'email' | 'phone_number'> = ['email', 'phone_number']) {
    h.standIn.seedUser(h.poolId, {
      username,
      password: TEST_PASSWORD,
      attributes: { email: username, phone_number: '+14155550123' },
      verified,
    });
  }

  const nextStepOf = (res: GraphQLResponse) => {
    expect(codeOf(res)).toBe('OK');
    return res.body.data.signIn?.nextStep ?? res.body.data.respondToSignInChallenge?.nextStep;
  };
  const codeFor = (username: string) =>
    h.standIn.outbox.list({ username, purpose: 'sign-in' }).at(-1)?.code ?? '';
  const answer = (step: { username: string; session: string; challenge: string }, code: string) =>
    respondToSignInChallenge({
      username: step.username,
      session: step.session,
      challenge: step.challenge,
      code,
    });
  const lastInitiateAuth = () =>
    h.standIn.calls.filter((c) => c.action === 'InitiateAuth').at(-1)?.body as
      | { AuthParameters?: Record<string, string> }
      | undefined;

  it('EMAIL_OTP: signIn sends a code by email, the code signs the user in and the refresh token goes to the cookie', async () => {
    const username = 'otp-email@example.com';
    seed(username);
    const step = nextStepOf(await h.graphql(signIn({ username, preferredChallenge: 'EMAIL_OTP' })));
    expect(lastInitiateAuth()).toMatchObject({
      AuthFlow: 'USER_AUTH',
      AuthParameters: {
        USERNAME: username,
        PREFERRED_CHALLENGE: 'EMAIL_OTP',
        SECRET_HASH: expect.any(String),
      },
    });
    expect(step).toMatchObject({
      challenge: 'EMAIL_OTP',
      codeDeliveryDetails: { deliveryMedium: 'EMAIL', attributeName: 'email', destination: 'o***@e***' },
    });
    expect(h.standIn.outbox.list({ username, purpose: 'sign-in' })).toHaveLength(1);
    const res = await h.graphql(answer(step, codeFor(username)));
    expect(codeOf(res)).toBe('OK');
    expect(res.body.data.respondToSignInChallenge.tokens).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: null,
    });
    expect(setCookie(res)).toEqual(expect.any(String));
    expect(JSON.stringify(res.body)).not.toContain(codeFor(username));
  });

  it('SMS_OTP: signIn sends a code by SMS to the verified phone, and it signs the user in', async () => {
    const username = 'otp-sms@example.com';
    seed(username);
    const step = nextStepOf(await h.graphql(signIn({ username, preferredChallenge: 'SMS_OTP' })));
    expect(step).toMatchObject({
      challenge: 'SMS_OTP',
      codeDeliveryDetails: { deliveryMedium: 'SMS', attributeName: 'phone_number' },
    });
    const sent = h.standIn.outbox.list({ username, purpose: 'sign-in' });
    expect(sent.map((m) => m.medium)).toEqual(['SMS']);
    const res = await h.graphql(answer(step, codeFor(username)));
    expect(res.body.data.respondToSignInChallenge.tokens.idToken).toEqual(expect.any(String));
  });

  it('SELECT_CHALLENGE: the username alone answers the factors on offer, choosing EMAIL_OTP sends the code, choosing PASSWORD signs in with it', async () => {
    const username = 'otp-choice@example.com';
    seed(username, ['email']);
    const offered = nextStepOf(await h.graphql(signIn({ username })));
    expect(lastInitiateAuth()?.AuthParameters).not.toHaveProperty('PREFERRED_CHALLENGE');
    expect(offered.challenge).toBe('SELECT_CHALLENGE');
    // The phone number is not verified: no SMS code on offer.
    expect(offered.availableChallenges).toEqual(['PASSWORD', 'EMAIL_OTP']);
    expect(h.standIn.outbox.list({ username })).toHaveLength(0);
    const step = nextStepOf(
      await h.graphql(
        respondToSignInChallenge({
          username: offered.username,
          session: offered.session,
          challenge: 'SELECT_CHALLENGE',
          answer: 'EMAIL_OTP',
        }),
      ),
    );
    expect(step).toMatchObject({ challenge: 'EMAIL_OTP', codeDeliveryDetails: { deliveryMedium: 'EMAIL' } });
    expect(codeOf(await h.graphql(answer(step, codeFor(username))))).toBe('OK');

    const again = nextStepOf(await h.graphql(signIn({ username })));
    const res = await h.graphql(
      respondToSignInChallenge({
        username: again.username,
        session: again.session,
        challenge: 'SELECT_CHALLENGE',
        answer: 'PASSWORD',
        password: TEST_PASSWORD,
      }),
    );
    expect(res.body.data.respondToSignInChallenge.tokens.accessToken).toEqual(expect.any(String));
    // The used session is refused a second answer.
    const replay = await h.graphql(
      respondToSignInChallenge({
        username: again.username,
        session: again.session,
        challenge: 'SELECT_CHALLENGE',
        answer: 'PASSWORD',
        password: TEST_PASSWORD,
      }),
    );
    expect(codeOf(replay)).toBe('SESSION_EXPIRED');
  });

  it('a wrong code answers CODE_MISMATCH and the same session then takes the right one', async () => {
    const username = 'otp-typo@example.com';
    seed(username);
    const step = nextStepOf(await h.graphql(signIn({ username, preferredChallenge: 'EMAIL_OTP' })));
    const code = codeFor(username);
    const wrong = await h.graphql(answer(step, code === '00000000' ? '11111111' : '00000000'));
    expect(codeOf(wrong)).toBe('CODE_MISMATCH');
    expect(JSON.stringify(wrong.body)).not.toContain(code);
    expect(codeOf(await h.graphql(answer(step, code)))).toBe('OK');
  });

  it("an expired code: past the client's session validity (3 minutes) the answer is SESSION_EXPIRED, and a new code signs in", async () => {
    const username = 'otp-late@example.com';
    seed(username);
    const step = nextStepOf(await h.graphql(signIn({ username, preferredChallenge: 'EMAIL_OTP' })));
    const stale = codeFor(username);
    clock.advance(3 * 60_000 + 1_000);
    const late = await h.graphql(answer(step, stale));
    expect(codeOf(late)).toBe('SESSION_EXPIRED');
    expect(late.body.errors[0].message).not.toContain(stale);
    const fresh = nextStepOf(await h.graphql(signIn({ username, preferredChallenge: 'EMAIL_OTP' })));
    expect(codeOf(await h.graphql(answer(fresh, codeFor(username))))).toBe('OK');
  });

  it('a factor the user cannot use (SMS_OTP without a verified phone) answers SELECT_CHALLENGE and sends nothing', async () => {
    const username = 'otp-no-phone@example.com';
    seed(username, ['email']);
    const step = nextStepOf(await h.graphql(signIn({ username, preferredChallenge: 'SMS_OTP' })));
    expect(step.challenge).toBe('SELECT_CHALLENGE');
    expect(step.availableChallenges).toEqual(['PASSWORD', 'EMAIL_OTP']);
    expect(h.standIn.outbox.list({ username })).toHaveLength(0);
  });

  it("a SELECT_CHALLENGE answer the pool did not offer is the caller's BAD_USER_INPUT, and sends nothing", async () => {
    const username = 'otp-not-offered@example.com';
    seed(username, ['email']);
    const offered = nextStepOf(await h.graphql(signIn({ username })));
    expect(offered.availableChallenges).not.toContain('SMS_OTP');
    const res = await h.graphql(
      respondToSignInChallenge({
        username: offered.username,
        session: offered.session,
        challenge: 'SELECT_CHALLENGE',
        answer: 'SMS_OTP',
      }),
    );
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toBe(
      'That sign-in factor is not offered to this user; choose one of nextStep.availableChallenges.',
    );
    expect(h.standIn.outbox.list({ username })).toHaveLength(0);
  });

  it('tells a frontend which factors it can ask for: every one under USER_AUTH', async () => {
    const res = await h.graphql({ query: '{ serviceInfo { signInFactors } }' });
    expect(res.body.data.serviceInfo.signInFactors).toEqual(['PASSWORD', 'EMAIL_OTP', 'SMS_OTP']);
  });

  it('an unknown user (a pool that reveals it) answers USER_NOT_FOUND, and nothing is sent', async () => {
    const username = 'nobody-otp@example.com';
    expect(codeOf(await h.graphql(signIn({ username, preferredChallenge: 'EMAIL_OTP' })))).toBe(
      'USER_NOT_FOUND',
    );
    expect(h.standIn.outbox.list({ username })).toHaveLength(0);
  });
});
