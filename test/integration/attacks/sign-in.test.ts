// An outside review of sign-in, written as the attacker ran it: over real HTTP with production's limits (each
// client IP through the trusted loopback proxy), counting what really reached the stand-in (its call log) and
// what reached a person (its outbox). The stand-in's clock is moved by hand where Cognito's own lock-out (5 free
// failures, then up to 15 minutes) would otherwise hide what the gateway does; the gateway's counters run on the
// real clock. Tests marked "(broken: ...)" failed on the first version of sign-in (their name gives what was
// measured then) and pass since the fix.
import {
  AdminSetUserMFAPreferenceCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLambdaHandler } from '../../../src/lambda/lambda-handler';
import { type LocalCognito, startLocalCognito } from '../../../src/local-cognito';
import { REFRESH_TOKENS, SIGN_IN, SIGN_OUT } from '../../../src/user-pool-calls/documents';
import { codeOf, codeOfBody } from '../../support/answers';
import { solvedFrom } from '../../support/challenge';
import {
  type GatewayHarness,
  type GraphQLResponse,
  type Harness,
  startGatewayHarness,
  startHarness,
  type UpstreamCognito,
} from '../../support/gateway-harness';
import { albEvent, graphqlBody, httpApiEvent } from '../../support/lambda-events';
import {
  LAMBDA_ORIGIN,
  type LambdaAnswer,
  lambdaEnv,
  lambdaInvoker,
  startLambdaUpstream,
} from '../../support/lambda-harness';
import { type RedisInstance, skipWithoutRedis, startRedis } from '../../support/redis-server';
import {
  ManualClock,
  SESSION_COOKIE,
  sessionCookieIn,
  setSessionCookie,
  withSessionCookie,
} from '../../support/session-cookies';
import {
  attackerIp,
  codesToInbox,
  from,
  gbMobile,
  PRODUCTION_LIMITS as PRODUCTION,
} from '../../support/spend-attacks';
import {
  confirmSignUp,
  forgotPassword,
  refreshTokens,
  respondToSignInChallenge,
  signIn,
  signOut,
  signUpWith,
  TEST_PASSWORD,
} from '../../support/user-pool-requests';

const WRONG = 'not-the-password';
const report = (line: string) => console.log(`sign-in attacks: ${line}`);

const reached = (standIn: LocalCognito, action: string) =>
  standIn.calls.filter((c) => c.action === action).length;
const signIns = (standIn: LocalCognito) => reached(standIn, 'InitiateAuth');

/** How many of `answers` had each code, e.g. { NOT_AUTHORIZED: 30, RATE_LIMITED: 10 }. */
function tally(answers: ReadonlyArray<{ body: unknown }>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const answer of answers) {
    const code = codeOf(answer);
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

describe('credential stuffing', () => {
  const clock = new ManualClock();
  let standIn: LocalCognito;
  let h: Harness;
  beforeAll(async () => {
    standIn = await startLocalCognito({ clock });
    h = await startHarness({ standIn, env: PRODUCTION });
  });
  afterAll(async () => {
    await h.close();
    await standIn.close();
  });

  const seed = (username: string) =>
    h.standIn.seedUser(h.poolId, {
      username,
      password: TEST_PASSWORD,
      attributes: { email: `${username}@example.com` },
      verified: ['email'],
    });

  it('lets 30 wrong passwords an hour from one IP reach Cognito, across 40 usernames, then refuses that IP', async () => {
    const victims = Array.from({ length: 40 }, (_, i) => `stuffed${i}`);
    for (const username of victims.slice(0, 20)) seed(username);
    const before = signIns(h.standIn);
    const answers = [];
    for (const username of victims)
      answers.push(await h.graphql(signIn({ username, password: WRONG }), from(attackerIp(0))));
    const tried = signIns(h.standIn) - before;
    report(`one IP, 40 usernames: ${JSON.stringify(tally(answers))}, ${tried} reached Cognito`);
    expect(tried).toBe(30);
    expect(tally(answers).RATE_LIMITED).toBe(10);
    // A right password from that IP is refused too: the IP, not the guess, is what is spent.
    const right = await h.graphql(
      signIn({ username: 'stuffed0', password: TEST_PASSWORD }),
      from(attackerIp(0)),
    );
    expect(codeOf(right)).toBe('RATE_LIMITED');
    expect(signIns(h.standIn) - before).toBe(30);
    // The user signs in from their own address.
    const own = await h.graphql(
      signIn({ username: 'stuffed0', password: TEST_PASSWORD }),
      from(attackerIp(1)),
    );
    expect(codeOf(own)).toBe('OK');
  });

  /** `perIp` wrong passwords for `username` from each of `ips` addresses (sequential per IP, the IPs at once). */
  async function flood(username: string, ips: number[], perIp: number) {
    const before = signIns(h.standIn);
    const answers = await Promise.all(
      ips.map(async (ip) => {
        const mine = [];
        for (let i = 0; i < perIp; i++)
          mine.push(await h.graphql(signIn({ username, password: WRONG }), from(attackerIp(ip))));
        return mine;
      }),
    );
    return { answers: answers.flat(), tried: signIns(h.standIn) - before };
  }

  it('lets 100 wrong passwords an hour for one user reach Cognito from 15 IPs, 10 from each, however they are sent at once', async () => {
    seed('besieged');
    const { answers, tried } = await flood(
      'besieged',
      [...Array(15).keys()].map((i) => 100 + i),
      12,
    );
    report(`15 IPs, one username, 12 each: ${JSON.stringify(tally(answers))}, ${tried} reached Cognito`);
    expect(tried).toBe(100);
    expect(tally(answers).RATE_LIMITED).toBe(80);
  });

  it("leaves the real user's own IP open after a stranger's 60 wrong passwords from 5 others (50 reach Cognito), once Cognito's own lock-out is over", async () => {
    seed('targeted');
    const { answers, tried } = await flood('targeted', [200, 201, 202, 203, 204], 12);
    expect(tried).toBe(50);
    expect(tally(answers).RATE_LIMITED).toBe(10);
    // Cognito locks the user out after its 5 free failures, for up to 15 minutes whoever asks: that is Cognito's,
    // and the gateway adds none of its own to the user's address.
    const locked = await h.graphql(
      signIn({ username: 'targeted', password: TEST_PASSWORD }),
      from(attackerIp(210)),
    );
    expect(codeOf(locked)).toBe('LIMIT_EXCEEDED');
    clock.advance(16 * 60_000);
    const own = await h.graphql(
      signIn({ username: 'targeted', password: TEST_PASSWORD }),
      from(attackerIp(210)),
    );
    expect(codeOf(own)).toBe('OK');
  });
});

describe('credential stuffing through the other spellings of one user (a pool that signs in by email)', () => {
  const clock = new ManualClock();
  let standIn: LocalCognito;
  let h: Harness;
  beforeAll(async () => {
    standIn = await startLocalCognito({ clock });
    h = await startHarness({
      standIn,
      pool: { usernameAttributes: ['email'] },
      env: { ...PRODUCTION, COGNITO_USERNAME_ATTRIBUTES: 'email' },
    });
  });
  afterAll(async () => {
    await h.close();
    await standIn.close();
  });

  it('counts the case variants, the email and the sub as one user: 10 wrong passwords an hour per IP, 100 in all', async () => {
    const email = 'jane.doe@example.com';
    const signedUp = await h.graphql(signUpWith(email, {}), from(attackerIp(0)));
    expect(codeOf(signedUp)).toBe('OK');
    const sub: string = signedUp.body.data.signUp.userSub;
    const spellings = [email, email.toUpperCase(), 'Jane.Doe@Example.com', sub];
    const before = signIns(h.standIn);
    const one = [];
    for (let i = 0; i < 14; i++)
      one.push(
        await h.graphql(signIn({ username: spellings[i % 4], password: WRONG }), from(attackerIp(10))),
      );
    const fromOne = signIns(h.standIn) - before;
    const many = await Promise.all(
      Array.from({ length: 13 }, async (_, n) => {
        const mine = [];
        for (let i = 0; i < 10; i++)
          mine.push(
            await h.graphql(
              signIn({ username: spellings[(n + i) % 4], password: WRONG }),
              from(attackerIp(11 + n)),
            ),
          );
        return mine;
      }),
    );
    const inAll = signIns(h.standIn) - before;
    report(
      `4 spellings of one user: one IP ${JSON.stringify(tally(one))} (${fromOne} reached), 13 more IPs ${JSON.stringify(tally(many.flat()))}, ${inAll} reached in all`,
    );
    expect(fromOne).toBe(10);
    expect(inAll).toBe(100);
  });
});

describe('the adaptive proof-of-work challenge (CHALLENGE_MODE=adaptive)', () => {
  const clock = new ManualClock();
  let standIn: LocalCognito;
  let h: Harness;
  beforeAll(async () => {
    standIn = await startLocalCognito({ clock });
    h = await startHarness({
      standIn,
      env: {
        ...PRODUCTION,
        CHALLENGE_MODE: 'adaptive',
        CHALLENGE_HMAC_KEY: 'sign-in-attacks-challenge-key-0123456789',
        CHALLENGE_COST: '100',
      },
    });
  });
  afterAll(async () => {
    await h.close();
    await standIn.close();
  });

  it('asks for work from the 7th wrong password for one user from one IP (past half of 10), and lets nothing unsolved reach Cognito', async () => {
    h.standIn.seedUser(h.poolId, { username: 'guarded', password: TEST_PASSWORD });
    const guess = (extra: Record<string, unknown> = {}) =>
      h.graphql(signIn({ username: 'guarded', password: WRONG, ...extra }), from(attackerIp(20)));
    const before = signIns(h.standIn);
    const free = [];
    for (let i = 0; i < 6; i++) free.push(codeOf(await guess()));
    expect(free).not.toContain('CHALLENGE_REQUIRED');
    expect(signIns(h.standIn) - before).toBe(6);
    for (let i = 0; i < 3; i++) expect(codeOf(await guess())).toBe('CHALLENGE_REQUIRED');
    expect(signIns(h.standIn) - before).toBe(6);
    // Solved, the guess goes on to Cognito, and still counts.
    const solved = await guess({ challengeResponse: await solvedFrom(h.url) });
    expect(['NOT_AUTHORIZED', 'LIMIT_EXCEEDED']).toContain(codeOf(solved));
    expect(signIns(h.standIn) - before).toBe(7);
    // The user from their own address is asked for nothing (their per-user share is 7 of 100).
    clock.advance(16 * 60_000);
    const own = await h.graphql(
      signIn({ username: 'guarded', password: TEST_PASSWORD }),
      from(attackerIp(21)),
    );
    expect(codeOf(own)).toBe('OK');
  });

  it("does not let strangers who spent a user's 100 failures lock the real user out: a solved challenge lets them in, and every further guess costs one", async () => {
    h.standIn.seedUser(h.poolId, { username: 'besieged-user', password: TEST_PASSWORD });
    // 17 addresses, 6 wrong passwords each (the most one address gets for this user before it is asked for
    // work): 102, past the per-user cap of 100.
    await Promise.all(
      Array.from({ length: 17 }, async (_, n) => {
        for (let i = 0; i < 6; i++)
          await h.graphql(signIn({ username: 'besieged-user', password: WRONG }), from(attackerIp(300 + n)));
      }),
    );
    clock.advance(16 * 60_000); // past Cognito's own lock-out, which is Cognito's to keep
    const before = signIns(h.standIn);
    // The user, from their own address: asked for work rather than refused for an hour.
    const asked = await h.graphql(
      signIn({ username: 'besieged-user', password: TEST_PASSWORD }),
      from(attackerIp(399)),
    );
    expect(codeOf(asked)).toBe('CHALLENGE_REQUIRED');
    const solved = await h.graphql(
      signIn({
        username: 'besieged-user',
        password: TEST_PASSWORD,
        challengeResponse: await solvedFrom(h.url),
      }),
      from(attackerIp(399)),
    );
    expect(codeOf(solved)).toBe('OK');
    // A stranger from a fresh address is asked too: nothing unsolved reaches Cognito.
    const stranger = await h.graphql(
      signIn({ username: 'besieged-user', password: WRONG }),
      from(attackerIp(398)),
    );
    expect(codeOf(stranger)).toBe('CHALLENGE_REQUIRED');
    expect(signIns(h.standIn) - before).toBe(1);
  });

  it('asks one IP for work from its 17th wrong password across usernames (past half of 30)', async () => {
    const answers = [];
    for (let i = 0; i < 18; i++)
      answers.push(
        codeOf(await h.graphql(signIn({ username: `sprayed${i}`, password: WRONG }), from(attackerIp(30)))),
      );
    expect(answers.slice(0, 16)).toEqual(Array(16).fill('USER_NOT_FOUND'));
    expect(answers.slice(16)).toEqual(['CHALLENGE_REQUIRED', 'CHALLENGE_REQUIRED']);
  });
});

/** An SDK client for the stand-in's IAM calls (it checks no signature), as an operator's console would be. */
function adminOf(standIn: LocalCognito): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    region: 'us-east-1',
    endpoint: standIn.url,
    maxAttempts: 1,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

const smsTo = (standIn: LocalCognito, phone: string) =>
  standIn.outbox.list().filter((m) => m.medium === 'SMS' && m.destination === phone).length;

describe('MFA code pump: an attacker who knows the password signs in again and again', () => {
  let h: Harness;
  let admin: CognitoIdentityProviderClient;
  beforeAll(async () => {
    h = await startHarness({ env: PRODUCTION });
    admin = adminOf(h.standIn);
  });
  afterAll(async () => {
    admin.destroy();
    await h.close();
  });

  it('gets 6 SMS codes an hour to their own phone from 12 IPs: the first, which teaches the gateway the user gets them, and then the destination cap of 5', async () => {
    const phone = gbMobile(1);
    const signedUp = await h.graphql(
      signUpWith('pumper', { email: 'pumper@example.com', phone_number: phone }),
      from(attackerIp(40)),
    );
    expect(codeOf(signedUp)).toBe('OK');
    const code = h.standIn.outbox.latestCode('pumper');
    expect(
      codeOf(
        await h.graphql(confirmSignUp({ username: 'pumper', confirmationCode: code }), from(attackerIp(40))),
      ),
    ).toBe('OK');
    await admin.send(
      new AdminSetUserMFAPreferenceCommand({
        UserPoolId: h.poolId,
        Username: 'pumper',
        SMSMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const before = signIns(h.standIn);
    const answers = [];
    for (let i = 0; i < 12; i++)
      answers.push(
        await h.graphql(
          signIn({ username: i % 2 ? 'PUMPER' : 'pumper', password: TEST_PASSWORD }),
          from(attackerIp(41 + i)),
        ),
      );
    report(`SMS MFA pump, 12 sign-ins: ${JSON.stringify(tally(answers))}, ${smsTo(h.standIn, phone)} SMS`);
    expect(answers.slice(0, 6).map((a) => a.body.data?.signIn?.nextStep?.challenge)).toEqual(
      Array(6).fill('SMS_MFA'),
    );
    expect(answers.slice(6).map(codeOf)).toEqual(Array(6).fill('RATE_LIMITED'));
    expect(smsTo(h.standIn, phone)).toBe(6);
    expect(signIns(h.standIn) - before).toBe(6);
  });

  it('gets no more SMS codes than the SMS budget allows to a user made outside the gateway, who never finishes a sign-in (broken: 20 of 20 with a budget of 5)', async () => {
    // A user the gateway has never linked: the first sign-in code is counted once sent; every later one is
    // reserved before the call, so a spent budget stops it.
    const pump = await startHarness({
      standIn: h.standIn,
      env: { ...PRODUCTION, LIMIT_SMS_PER_HOUR: '5' },
    });
    try {
      const phone = gbMobile(2);
      pump.standIn.seedUser(pump.poolId, {
        username: 'elsewhere',
        password: TEST_PASSWORD,
        attributes: { phone_number: phone },
        verified: ['phone_number'],
        mfa: { enabled: ['SMS_MFA'] },
      });
      const answers = [];
      for (let i = 0; i < 20; i++)
        answers.push(
          await pump.graphql(
            signIn({ username: 'elsewhere', password: TEST_PASSWORD }),
            from(attackerIp(60 + i)),
          ),
        );
      report(
        `SMS MFA pump of an unlinked user, 20 sign-ins: ${JSON.stringify(tally(answers))}, ${smsTo(pump.standIn, phone)} SMS`,
      );
      expect(smsTo(pump.standIn, phone)).toBe(5);
      expect(answers.slice(5).map(codeOf)).toEqual(Array(15).fill('RATE_LIMITED'));
    } finally {
      await pump.close();
    }
  });

  it("sends no SMS code to a user whose phone's country is blocked, once a sign-in has linked them", async () => {
    const blocked = await startHarness({
      standIn: h.standIn,
      env: { ...PRODUCTION, SMS_BLOCKED_COUNTRIES: 'GB' },
    });
    try {
      const phone = gbMobile(3);
      const { sub } = blocked.standIn.seedUser(blocked.poolId, {
        username: 'abroad',
        password: TEST_PASSWORD,
        attributes: { email: 'abroad@example.com', phone_number: phone },
        verified: ['email', 'phone_number'],
        mfa: { enabled: ['SMS_MFA'] },
      });
      // Made outside the gateway: its first sign-in's code goes before anything tells the gateway where.
      const first = await blocked.graphql(
        signIn({ username: 'abroad', password: TEST_PASSWORD }),
        from(attackerIp(90)),
      );
      const step = first.body.data.signIn.nextStep;
      expect(step.challenge).toBe('SMS_MFA');
      const answered = await blocked.graphql(
        respondToSignInChallenge({
          username: step.username,
          session: step.session,
          challenge: 'SMS_MFA',
          code: blocked.standIn.outbox.latestCode('abroad', 'sign-in'),
        }),
        from(attackerIp(90)),
      );
      expect(answered.body.data.respondToSignInChallenge.tokens).not.toBeNull();
      expect(smsTo(blocked.standIn, phone)).toBe(1);
      const before = signIns(blocked.standIn);
      for (const [i, username] of ['abroad', 'ABROAD', sub, 'Abroad'].entries())
        expect(
          codeOf(
            await blocked.graphql(signIn({ username, password: TEST_PASSWORD }), from(attackerIp(91 + i))),
          ),
        ).toBe('PHONE_NUMBER_NOT_ALLOWED');
      expect(smsTo(blocked.standIn, phone)).toBe(1);
      expect(signIns(blocked.standIn)).toBe(before);
    } finally {
      await blocked.close();
    }
  });
});

const SKIP_REDIS = skipWithoutRedis('sign-in attacks (a country blocked after the user was linked)');

describe.skipIf(SKIP_REDIS)('with Redis: a country blocked after the user was linked', () => {
  let redis: RedisInstance | undefined;
  afterEach(async () => {
    await redis?.stop();
    redis = undefined;
  });

  it('sends the SMS MFA code before the block, and none after the gateway restarts with SMS_BLOCKED_COUNTRIES', async () => {
    redis = await startRedis();
    const env = { ...PRODUCTION, REDIS_URL: redis.url };
    const h = await startHarness({ env });
    const admin = adminOf(h.standIn);
    try {
      const phone = gbMobile(4);
      await h.graphql(
        signUpWith('traveller', { email: 'traveller@example.com', phone_number: phone }),
        from(attackerIp(100)),
      );
      const code = h.standIn.outbox.latestCode('traveller');
      await h.graphql(
        confirmSignUp({ username: 'traveller', confirmationCode: code }),
        from(attackerIp(100)),
      );
      await admin.send(
        new AdminSetUserMFAPreferenceCommand({
          UserPoolId: h.poolId,
          Username: 'traveller',
          SMSMfaSettings: { Enabled: true, PreferredMfa: true },
        }),
      );
      const before = await h.graphql(
        signIn({ username: 'traveller', password: TEST_PASSWORD }),
        from(attackerIp(101)),
      );
      expect(before.body.data.signIn.nextStep.challenge).toBe('SMS_MFA');
      expect(smsTo(h.standIn, phone)).toBe(1);

      const later = await startGatewayHarness(
        { url: h.standIn.url, poolId: h.poolId, clientId: h.clientId, clientSecret: h.clientSecret },
        { env: { ...env, SMS_BLOCKED_COUNTRIES: 'GB' } },
      );
      try {
        const calls = signIns(h.standIn);
        for (let i = 0; i < 3; i++)
          expect(
            codeOf(
              await later.graphql(
                signIn({ username: 'traveller', password: TEST_PASSWORD }),
                from(attackerIp(102 + i)),
              ),
            ),
          ).toBe('PHONE_NUMBER_NOT_ALLOWED');
        expect(smsTo(h.standIn, phone)).toBe(1);
        expect(signIns(h.standIn)).toBe(calls);
      } finally {
        await later.close();
      }
    } finally {
      admin.destroy();
      await h.close();
    }
  });
});

describe('links learned from a sign-in (a user made outside the gateway, in a pool that signs in by email)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      pool: { usernameAttributes: ['email'] },
      env: {
        ...PRODUCTION,
        COGNITO_USERNAME_ATTRIBUTES: 'email',
        // Only the destination cap is looked at here: per-user reset limits that would stop the attacker first
        // are opened wide.
        LIMIT_FORGOT_PASSWORD_USERNAME_COOLDOWN_SECONDS: '0',
        LIMIT_FORGOT_PASSWORD_USERNAME_PER_HOUR: '1000',
      },
    });
  });
  afterAll(() => h.close());

  it('counts resets for the email, its other case and the sub against one inbox: 5 codes from 12 requests', async () => {
    const email = 'imported@example.com';
    const { sub } = h.standIn.seedUser(h.poolId, {
      username: email,
      password: TEST_PASSWORD,
      attributes: { email },
      verified: ['email'],
    });
    expect(
      codeOf(await h.graphql(signIn({ username: email, password: TEST_PASSWORD }), from(attackerIp(110)))),
    ).toBe('OK');
    const spellings = [sub, email.toUpperCase(), email];
    const answers = [];
    for (let i = 0; i < 12; i++)
      answers.push(
        await h.graphql(forgotPassword({ username: spellings[i % 3] }), from(attackerIp(111 + i))),
      );
    const codes = codesToInbox(h.standIn, email);
    report(
      `resets after a sign-in linked the user: ${JSON.stringify(tally(answers))}, ${codes} codes to the inbox`,
    );
    expect(codes).toBe(5);
    expect(answers.slice(5).map(codeOf)).toEqual(Array(7).fill('RATE_LIMITED'));
  });
});

const ORIGIN = 'https://app.example.com';

describe('stolen, replayed, moved and cross-site cookies', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...PRODUCTION, CORS_ORIGINS: ORIGIN } });
  });
  afterAll(() => h.close());

  const refreshes = () => reached(h.standIn, 'GetTokensFromRefreshToken');
  const revocations = () => reached(h.standIn, 'RevokeToken');

  /** A user made outside the gateway, signed in from `ip`: the cookie the answer set. */
  async function signedIn(username: string, ip: string): Promise<string> {
    h.standIn.seedUser(h.poolId, { username, password: TEST_PASSWORD });
    const res = await h.graphql(signIn({ username, password: TEST_PASSWORD }), from(ip));
    expect(codeOf(res)).toBe('OK');
    const cookie = setSessionCookie(res) ?? '';
    expect(cookie.length).toBeGreaterThan(100);
    return cookie;
  }

  it('a cookie copied before the user signed out gets neither tokens nor a session from any IP afterwards', async () => {
    const stolen = await signedIn('careless', attackerIp(120));
    expect((await h.graphql(signOut(), withSessionCookie(stolen, from(attackerIp(120))))).body.data).toEqual({
      signOut: { signedOut: true },
    });
    const before = refreshes();
    for (let i = 0; i < 3; i++) {
      const res = await h.graphql(refreshTokens(), withSessionCookie(stolen, from(attackerIp(121 + i))));
      expect(codeOf(res)).toBe('NOT_SIGNED_IN');
      expect(res.body.data).toBeNull();
      expect(setSessionCookie(res)).toBe('');
    }
    // The sealed value still opens, so each replay costs one refused refresh at Cognito, and no more.
    expect(refreshes() - before).toBe(3);
  });

  it('lets dead cookies replayed from one IP reach Cognito 30 times an hour, then refuses that IP (broken: 40 of 40 reached it)', async () => {
    const cookies = [];
    for (let i = 0; i < 3; i++) cookies.push(await signedIn(`revoked${i}`, attackerIp(130)));
    for (const cookie of cookies)
      await h.graphql(signOut(), withSessionCookie(cookie, from(attackerIp(130))));
    const before = refreshes();
    const answers = [];
    for (let i = 0; i < 40; i++)
      answers.push(
        await h.graphql(refreshTokens(), withSessionCookie(cookies[i % 3] ?? '', from(attackerIp(131)))),
      );
    report(
      `40 dead cookies from one IP: ${JSON.stringify(tally(answers))}, ${refreshes() - before} reached Cognito`,
    );
    expect(refreshes() - before).toBe(30);
    expect(answers.slice(30).map(codeOf)).toEqual(Array(10).fill('RATE_LIMITED'));
  });

  it('a cookie moved to another name opens nowhere, and never reaches Cognito', async () => {
    const cookie = await signedIn('moved', attackerIp(140));
    const before = h.standIn.calls.length;
    for (const name of [
      '__Host-other',
      '__host-cognito-refresh',
      'cognito-refresh',
      '__Secure-cognito-refresh',
    ]) {
      const res = await h.graphql(refreshTokens(), { cookie: `${name}=${cookie}`, ...from(attackerIp(141)) });
      expect(codeOf(res)).toBe('NOT_SIGNED_IN');
    }
    // A gateway with the same keys whose cookie has another name (SESSION_COOKIE_NAME): the value is sealed to
    // its name, so it does not open under another.
    const renamed = await startGatewayHarness(
      { url: h.standIn.url, poolId: h.poolId, clientId: h.clientId, clientSecret: h.clientSecret },
      { env: { ...PRODUCTION, SESSION_COOKIE_NAME: '__Host-other' } },
    );
    try {
      const res = await renamed.graphql(refreshTokens(), {
        cookie: `__Host-other=${cookie}`,
        ...from(attackerIp(142)),
      });
      expect(codeOf(res)).toBe('NOT_SIGNED_IN');
      expect(setSessionCookie(res, '__Host-other')).toBe('');
    } finally {
      await renamed.close();
    }
    expect(h.standIn.calls.length).toBe(before);
    expect(codeOf(await h.graphql(refreshTokens(), withSessionCookie(cookie, from(attackerIp(140)))))).toBe(
      'OK',
    );
  });

  it("a page of another site cannot refresh or sign out with the user's cookie: nothing reaches Cognito and the session stays", async () => {
    const cookie = await signedIn('browsing', attackerIp(150));
    const [refreshed, revoked] = [refreshes(), revocations()];
    for (const origin of ['https://evil.example', 'null', 'https://app.example.com.evil.example']) {
      const refresh = await h.graphql(
        refreshTokens(),
        withSessionCookie(cookie, { origin, ...from(attackerIp(151)) }),
      );
      expect(codeOf(refresh)).toBe('NOT_SIGNED_IN');
      expect(refresh.headers.getSetCookie()).toEqual([]);
      const out = await h.graphql(signOut(), withSessionCookie(cookie, { origin, ...from(attackerIp(151)) }));
      expect(out.body.data).toEqual({ signOut: { signedOut: true } });
      expect(out.headers.getSetCookie()).toEqual([]);
      expect(out.headers.get('access-control-allow-credentials')).toBeNull();
    }
    expect([refreshes(), revocations()]).toEqual([refreshed, revoked]);
    const mine = await h.graphql(
      refreshTokens(),
      withSessionCookie(cookie, { origin: ORIGIN, ...from(attackerIp(150)) }),
    );
    expect(codeOf(mine)).toBe('OK');
  });
});

describe('a stolen cookie replayed after refresh-token rotation', () => {
  let standIn: LocalCognito;
  let h: GatewayHarness;
  beforeAll(async () => {
    standIn = await startLocalCognito();
    const pool = standIn.createUserPool();
    const client = standIn.createUserPoolClient(pool.id, {
      generateSecret: true,
      explicitAuthFlows: ['ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH'],
      refreshTokenRotation: { retryGracePeriodSeconds: 0 },
    });
    h = await startGatewayHarness(
      {
        url: standIn.url,
        poolId: pool.id,
        clientId: client.clientId,
        clientSecret: client.clientSecret ?? '',
      },
      { env: PRODUCTION },
    );
  });
  afterAll(async () => {
    await h.close();
    await standIn.close();
  });

  it("is refused once the user has refreshed, and the user's own rotated cookie keeps working", async () => {
    standIn.seedUser(h.poolId, { username: 'rotating', password: TEST_PASSWORD });
    const first = setSessionCookie(
      await h.graphql(signIn({ username: 'rotating', password: TEST_PASSWORD }), from(attackerIp(160))),
    );
    expect(first).toEqual(expect.any(String));
    const stolen = first ?? '';
    const refreshed = await h.graphql(refreshTokens(), withSessionCookie(stolen, from(attackerIp(160))));
    expect(codeOf(refreshed)).toBe('OK');
    const rotated = setSessionCookie(refreshed) ?? '';
    expect(rotated).not.toBe('');
    expect(rotated).not.toBe(stolen);

    const replay = await h.graphql(refreshTokens(), withSessionCookie(stolen, from(attackerIp(161))));
    expect(codeOf(replay)).toBe('NOT_SIGNED_IN');
    expect(setSessionCookie(replay)).toBe('');
    const again = await h.graphql(refreshTokens(), withSessionCookie(rotated, from(attackerIp(160))));
    expect(codeOf(again)).toBe('OK');
    expect(setSessionCookie(again)).not.toBe(rotated);
  });
});

describe('the refresh-token cookie through the Lambda transport', () => {
  let standIn: LocalCognito;
  let upstream: UpstreamCognito;
  let invoke: (event: unknown) => Promise<LambdaAnswer>;
  beforeAll(async () => {
    ({ standIn, upstream } = await startLambdaUpstream());
    standIn.seedUser(upstream.poolId, { username: 'lambda-user', password: TEST_PASSWORD });
    let n = 0;
    const handler = createLambdaHandler(
      // The stand-in's default client has no USER_AUTH.
      { ...lambdaEnv(upstream), COGNITO_SIGN_IN_FLOW: 'USER_PASSWORD_AUTH' },
      { logDestination: { write: () => {} } },
    );
    invoke = lambdaInvoker(
      handler,
      () => `sign-in-attacks-${++n}`,
      () => {},
    );
  });
  afterAll(() => standIn.close());

  const signInBody = graphqlBody(SIGN_IN, { input: { username: 'lambda-user', password: TEST_PASSWORD } });
  const refreshBody = graphqlBody(REFRESH_TOKENS, {});

  it("HTTP API: sets the cookie in `cookies`, reads it from `cookies`, and drops it for another site's page", async () => {
    const signedIn = await invoke(httpApiEvent({ body: signInBody, headers: { origin: LAMBDA_ORIGIN } }));
    expect(signedIn.json.data.signIn.tokens.refreshToken).toBeNull();
    const { cookies, headers } = signedIn as { cookies?: string[]; headers?: Record<string, unknown> };
    expect(Object.keys(headers ?? {})).not.toContain('set-cookie');
    const cookie = sessionCookieIn(cookies ?? []) ?? '';
    expect(cookie.length).toBeGreaterThan(100);

    const withCookies = (origin: string) => ({
      ...httpApiEvent({ body: refreshBody, headers: { origin } }),
      cookies: ['theme=dark', `${SESSION_COOKIE}=${cookie}`],
    });
    const refreshed = await invoke(withCookies(LAMBDA_ORIGIN));
    expect(refreshed.json.data.refreshTokens.tokens.accessToken).toEqual(expect.any(String));
    const before = standIn.calls.length;
    const foreign = await invoke(withCookies('https://evil.example'));
    expect(codeOfBody(foreign.json)).toBe('NOT_SIGNED_IN');
    expect(standIn.calls.length).toBe(before);
  });

  it('ALB with multi-value headers: sets the cookie as a Set-Cookie of its own and reads it among several Cookie headers', async () => {
    const signedIn = await invoke(
      albEvent({
        multiValue: true,
        forwardedFor: '198.51.100.170',
        body: signInBody,
        headers: { origin: LAMBDA_ORIGIN },
      }),
    );
    const lines = (signedIn as { multiValueHeaders?: Record<string, string[]> }).multiValueHeaders?.[
      'set-cookie'
    ];
    const cookie = sessionCookieIn(lines ?? []) ?? '';
    expect(cookie.length).toBeGreaterThan(100);
    const event = albEvent({
      multiValue: true,
      forwardedFor: '198.51.100.170',
      body: graphqlBody(SIGN_OUT, {}),
      headers: { origin: LAMBDA_ORIGIN },
    });
    event.multiValueHeaders = {
      ...event.multiValueHeaders,
      cookie: ['theme=dark', `${SESSION_COOKIE}=${cookie}`],
    };
    const revocations = reached(standIn, 'RevokeToken');
    const out = await invoke(event);
    expect(out.json.data).toEqual({ signOut: { signedOut: true } });
    expect(reached(standIn, 'RevokeToken')).toBe(revocations + 1);
    const cleared = (out as { multiValueHeaders?: Record<string, string[]> }).multiValueHeaders?.[
      'set-cookie'
    ];
    expect(sessionCookieIn(cleared ?? [])).toBe('');
  });
});

describe('what logs, metrics and answers give away', () => {
  let standIn: LocalCognito;
  let h: Harness;
  let codes = 0;
  beforeAll(async () => {
    // Codes that cannot occur by chance in a token, a timestamp or a request id.
    standIn = await startLocalCognito({ generateCode: () => `Kq${++codes}zX` });
    h = await startHarness({
      standIn,
      env: { OPS_PORT: '0', CORS_ORIGINS: ORIGIN },
    });
  });
  afterAll(async () => {
    await h.close();
    await standIn.close();
  });

  it('never puts a password, code, session, token or sealed cookie in a log line, a metric or an error, and the refresh token in no answer', async () => {
    const answers: GraphQLResponse[] = [];
    const ask = async (body: unknown, headers: Record<string, string> = {}) => {
      const res = await h.graphql(body, headers);
      answers.push(res);
      return res;
    };
    const secrets = new Set<string>([TEST_PASSWORD, WRONG, 'Wr0ngCode']);
    const cookies = new Set<string>();
    const keep = (res: GraphQLResponse) => {
      const payload = res.body.data ? Object.values(res.body.data)[0] : undefined;
      const { tokens, nextStep, session } = (payload ?? {}) as {
        tokens?: { accessToken: string; idToken: string } | null;
        nextStep?: { session: string } | null;
        session?: string | null;
      };
      for (const value of [tokens?.accessToken, tokens?.idToken, nextStep?.session, session])
        if (value) secrets.add(value);
      const cookie = setSessionCookie(res);
      if (cookie) cookies.add(cookie);
      return res;
    };
    const latest = (username: string) => {
      const code = standIn.outbox.latestCode(username) ?? '';
      secrets.add(code);
      return code;
    };

    // Sign-up, confirmation, sign-in with the confirmation's session, refresh, sign-out, replay.
    await ask(signUpWith('leaky@example.com', { email: 'leaky@example.com' }));
    const confirmed = keep(
      await ask(
        confirmSignUp({ username: 'leaky@example.com', confirmationCode: latest('leaky@example.com') }),
      ),
    );
    const session = confirmed.body.data.confirmSignUp.session;
    const first = keep(await ask(signIn({ username: 'leaky@example.com', session })));
    keep(await ask(signIn({ username: 'leaky@example.com', session })));
    const cookie = setSessionCookie(first) ?? '';
    keep(await ask(refreshTokens(), withSessionCookie(cookie, { origin: ORIGIN })));
    await ask(signOut(), withSessionCookie(cookie));
    await ask(refreshTokens(), withSessionCookie(cookie));
    await ask(refreshTokens(), withSessionCookie(`${cookie.slice(0, -2)}AA`));
    // Wrong and unknown, and a password sent where the schema wants something else.
    await ask(signIn({ username: 'leaky@example.com', password: WRONG }));
    await ask(signIn({ username: 'nobody@example.com', password: WRONG }));
    await ask({ query: SIGN_IN, variables: { input: { username: 'leaky@example.com', password: [WRONG] } } });
    await ask({
      query: `mutation { signIn(input: { username: "x", password: 12345 }) { tokens { idToken } } }`,
    });
    // Each challenge, with a wrong answer first.
    const seed = (username: string, extra: Record<string, unknown>) =>
      standIn.seedUser(h.poolId, {
        username,
        password: TEST_PASSWORD,
        attributes: { email: username, phone_number: '+14155550100' },
        verified: ['email', 'phone_number'],
        ...extra,
      });
    const answer = async (username: string, challenge: string, fields: Record<string, string>) => {
      const step = keep(await ask(signIn({ username, password: TEST_PASSWORD }))).body.data.signIn.nextStep;
      expect(step.challenge).toBe(challenge);
      const base = { username: step.username, session: step.session, challenge };
      keep(
        await ask(
          respondToSignInChallenge({ ...base, ...fields, ...('code' in fields && { code: 'Wr0ngCode' }) }),
        ),
      );
      if ('code' in fields) fields.code = latest(username);
      keep(await ask(respondToSignInChallenge({ ...base, ...fields })));
    };
    seed('sms@example.com', { mfa: { enabled: ['SMS_MFA'] } });
    await answer('sms@example.com', 'SMS_MFA', { code: '' });
    seed('otp@example.com', { mfa: { enabled: ['EMAIL_OTP'] } });
    await answer('otp@example.com', 'EMAIL_OTP', { code: '' });
    seed('invited@example.com', { status: 'FORCE_CHANGE_PASSWORD' });
    secrets.add('A-brand-new-passw0rd');
    await answer('invited@example.com', 'NEW_PASSWORD_REQUIRED', { newPassword: 'A-brand-new-passw0rd' });
    await ask(
      respondToSignInChallenge({
        username: 'sms@example.com',
        session: 'x'.repeat(900),
        challenge: 'SMS_MFA',
        code: 'Kq1zX',
      }),
    );

    // Cognito's refresh tokens, as the gateway sent them on: none may leave it unsealed.
    const refreshTokensSeen = standIn.calls.flatMap((c) => {
      const body = c.body as { RefreshToken?: string; Token?: string } | undefined;
      return [body?.RefreshToken, body?.Token].filter((t): t is string => typeof t === 'string');
    });
    expect(refreshTokensSeen.length).toBeGreaterThan(1);
    const never = [...secrets, ...cookies, ...refreshTokensSeen].filter((s) => s.length >= 5);
    expect(secrets.size).toBeGreaterThan(12);

    const logs = h.logs.join('\n');
    const metrics = await (await fetch(`${h.gateway.opsUrl}/metrics`)).text();
    for (const secret of never) {
      expect(logs).not.toContain(secret);
      expect(metrics).not.toContain(secret);
    }
    const failed = answers.filter((a) => a.body.errors);
    expect(failed.length).toBeGreaterThan(8);
    for (const res of failed) {
      const text = JSON.stringify(res.body);
      for (const secret of never) expect(text).not.toContain(secret);
    }
    for (const res of answers) {
      const text = `${JSON.stringify(res.body)} ${[...res.headers].filter(([name]) => name !== 'set-cookie').join(' ')}`;
      for (const secret of [...refreshTokensSeen, ...cookies, TEST_PASSWORD, WRONG])
        expect(text).not.toContain(secret);
      if (res.body.data && Object.values(res.body.data).some((p) => (p as { tokens?: unknown })?.tokens))
        expect(res.headers.get('cache-control')).toBe('no-store');
    }
    report(`${answers.length} answers, ${h.logs.length} log lines, ${never.length} secrets looked for`);
  });
});

describe('telling users apart (a pool with PreventUserExistenceErrors)', () => {
  const clock = new ManualClock();
  let standIn: LocalCognito;
  let h: Harness;
  beforeAll(async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local-stand-in-ignores-signatures');
    standIn = await startLocalCognito({ clock });
    // With the look-up on, as an operator who wants resets bounded would run it: sign-in must still not use it.
    h = await startHarness({
      standIn,
      pool: { preventUserExistenceErrors: true },
      env: { ...PRODUCTION, COGNITO_LOOKUP_USERS: 'true' },
    });
  });
  afterAll(async () => {
    await h.close();
    await standIn.close();
    vi.unstubAllEnvs();
  });

  /** What an attacker compares: status, the whole errors list, the headers but the per-request ones, and the
   * calls the gateway made upstream for it. */
  async function probe(username: string, ip: string) {
    const before = h.standIn.calls.length;
    const res = await h.graphql(signIn({ username, password: WRONG }), from(ip));
    const headers = [...res.headers].filter(
      ([name]) => !['date', 'x-request-id', 'content-length'].includes(name),
    );
    return {
      status: res.status,
      errors: res.body.errors,
      data: res.body.data,
      headers,
      upstream: h.standIn.calls.slice(before).map((c) => c.action),
    };
  }

  it('answers a wrong password of a known user and any password of an unknown one alike, with the same calls upstream', async () => {
    h.standIn.seedUser(h.poolId, { username: 'known', password: TEST_PASSWORD });
    // A user the gateway has linked (signed in here before), and one with SMS MFA whose link says so.
    h.standIn.seedUser(h.poolId, { username: 'regular', password: TEST_PASSWORD });
    expect(
      codeOf(
        await h.graphql(signIn({ username: 'regular', password: TEST_PASSWORD }), from(attackerIp(180))),
      ),
    ).toBe('OK');
    h.standIn.seedUser(h.poolId, {
      username: 'second-factor',
      password: TEST_PASSWORD,
      attributes: { phone_number: gbMobile(9) },
      verified: ['phone_number'],
      mfa: { enabled: ['SMS_MFA'] },
    });
    const step = (
      await h.graphql(signIn({ username: 'second-factor', password: TEST_PASSWORD }), from(attackerIp(180)))
    ).body.data.signIn.nextStep;
    expect(step.challenge).toBe('SMS_MFA');

    const unknown = await probe('nobody-at-all', attackerIp(181));
    expect(unknown.errors[0].extensions.code).toBe('NOT_AUTHORIZED');
    expect(unknown.upstream).toEqual(['InitiateAuth']);
    for (const [i, username] of ['known', 'regular', 'second-factor'].entries()) {
      const known = await probe(username, attackerIp(182 + i));
      expect(known).toEqual(unknown);
    }
    // Cognito's lock-out comes after as many failures for both, with the same words.
    const lockouts = async (username: string, ip: string) => {
      const seen = [];
      for (let i = 0; i < 7; i++) seen.push((await probe(username, ip)).errors);
      return seen;
    };
    h.standIn.seedUser(h.poolId, { username: 'besieged', password: TEST_PASSWORD });
    expect(await lockouts('besieged', attackerIp(190))).toEqual(
      await lockouts('nobody-else', attackerIp(191)),
    );
  });
});
