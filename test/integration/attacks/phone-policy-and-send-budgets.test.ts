// An outside review of the spend guard (phone policy and send budgets), done the way an SMS-pumping or
// mail-bombing botnet would try it, over real HTTP against the local Cognito stand-in, counting what reached
// it (`standIn.calls`) and what it sent (`standIn.outbox`).
//
// Tests document a defence that holds, named for the behaviour. Those whose comment starts `HOLE` failed on the
// code they were written against (the comment gives the count measured then) and pass since the fix; the
// history of each is in docs/security.md.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codeOf, errorOf } from '../../support/answers';
import {
  type GatewayHarness,
  type Harness,
  startGatewayHarness,
  startHarness,
} from '../../support/gateway-harness';
import { type RedisInstance, skipWithoutRedis, startRedis } from '../../support/redis-server';
import {
  confirmSignUp,
  forgotPassword,
  resend,
  signUp as signUpRequest,
  TEST_PASSWORD,
} from '../../support/user-pool-requests';

const from = (ip: string) => ({ 'x-forwarded-for': ip });
/** The budget rule that refused a call, else its error code, else OK. */
const verdictOf = (res: { body: unknown }): string => {
  const error = errorOf(res as never);
  return error?.extensions.rule ?? error?.extensions.code ?? 'OK';
};
const ok = (verdicts: readonly string[]) => verdicts.filter((v) => v === 'OK').length;

function signUpInput(username: string, attributes: Record<string, string> | Array<[string, string]>) {
  const list = Array.isArray(attributes) ? attributes : Object.entries(attributes);
  return {
    username,
    password: TEST_PASSWORD,
    userAttributes: list.map(([name, value]) => ({ name, value })),
  };
}

function signUp(username: string, attributes: Record<string, string> | Array<[string, string]> = {}) {
  return signUpRequest(signUpInput(username, attributes));
}

const forgot = (username: string) => forgotPassword({ username });

const gbMobile = (i: number) => `+447400${String(123_400 + i).padStart(6, '0')}`;

const upstream = (h: Harness, action?: string) =>
  h.standIn.calls.filter((c) => action === undefined || c.action === action).length;
const sms = (h: Harness) => h.standIn.outbox.list().filter((m) => m.medium === 'SMS');
const emails = (h: Harness) => h.standIn.outbox.list().filter((m) => m.medium === 'EMAIL');

/** A user the gateway never saw sign up (made directly on the stand-in, which sends its first code). */
async function seed(h: Harness, username: string, attributes: Record<string, string>) {
  await h.signUp(username, attributes);
}

describe('phone spellings against the policy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { TRUST_PROXY: 'loopback', LIMIT_DESTINATION_PER_HOUR: '2' },
      pool: { autoVerifiedAttributes: ['phone_number'] },
    });
  });
  afterAll(() => h.close());

  it('refuses 14 other spellings of a valid UK mobile (spaces, dashes, 00, no +, fullwidth and Arabic-Indic digits, bidi marks, extensions, newline): 0 calls reached the stand-in', async () => {
    const spellings = [
      ' +447400123400',
      '+447400123400 ',
      '+44 7400 123400',
      '+44-7400-123400',
      '+44(0)7400123400',
      '(+44)7400123400',
      '00447400123400',
      '447400123400',
      '+４４７４００１２３４００',
      '＋447400123400',
      '+٤٤٧٤٠٠١٢٣٤٠٠',
      '\u202d+447400123400\u202c',
      '+447400123400;ext=1',
      '+447400123400\n',
    ];
    const calls = upstream(h);
    for (const [i, phone] of spellings.entries()) {
      const res = await h.graphql(signUp(`spelling.${i}`, { phone_number: phone }), from(`192.0.2.${i + 1}`));
      expect(errorOf(res).extensions, JSON.stringify(phone)).toEqual({
        code: 'PHONE_NUMBER_NOT_ALLOWED',
        reason: 'format',
      });
    }
    expect(upstream(h) - calls).toBe(0);
  });

  // HOLE (measured: 4 SMS to one subscriber under a destination cap of 2). libphonenumber strips a national
  // (trunk) prefix written after the country code, so +44 0 7400 123400 is valid, the same subscriber as
  // +44 7400 123400 (`parsed.number`), and strict E.164 by the regex; the gateway forwards the raw spelling
  // and keys the destination by its raw digits, so each spelling has a cap of its own. Same for +33 0…,
  // +49 0…, +86 0…, +1 1…, and three spellings of one Argentine mobile (+54 9 11…, +54 11 15…).
  // Fix: src/spend-guard/phone-policy.ts phoneRefusal: refuse ('format') when `parsed.number !== value`, so a
  // subscriber has one spelling (the canonical one) for the policy, the destination key and Cognito alike.
  it('refuses a trunk-prefix spelling (+44 0 7400…) of a number at its destination cap: at most 2 SMS to one subscriber', async () => {
    const canonical = '+447400123400';
    const trunk = '+4407400123400';
    expect(parsePhoneNumberFromString(trunk)?.number).toBe(canonical);
    const verdicts: string[] = [];
    for (const [i, phone] of [canonical, canonical, canonical, trunk, trunk].entries())
      verdicts.push(
        verdictOf(await h.graphql(signUp(`bomb.${i}`, { phone_number: phone }), from(`198.51.100.${i + 1}`))),
      );
    const toSubscriber = sms(h).filter(
      (m) => parsePhoneNumberFromString(m.destination)?.number === canonical,
    ).length;
    expect(verdicts.slice(0, 3)).toEqual(['OK', 'OK', 'RATE_LIMITED']);
    expect(toSubscriber).toBeLessThanOrEqual(2);
  });
});

describe('attribute-name and username tricks', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { TRUST_PROXY: 'loopback', SMS_ALLOWED_COUNTRIES: 'GB' },
      pool: { autoVerifiedAttributes: ['phone_number'] },
    });
  });
  afterEach(() => h.standIn.outbox.clear());
  afterAll(() => h.close());
  const premium = '+449098790000';

  it('refuses two phone_number attributes in either order (good+premium, premium+good): 0 calls', async () => {
    const calls = upstream(h);
    for (const [i, pair] of [
      [gbMobile(1), premium],
      [premium, gbMobile(1)],
    ].entries()) {
      const res = await h.graphql(
        signUp(`dup.${i}`, [
          ['phone_number', pair[0] as string],
          ['phone_number', pair[1] as string],
        ]),
      );
      expect(codeOf(res)).not.toBe('OK');
    }
    expect(upstream(h) - calls).toBe(0);
  });

  it('refuses attribute names with spaces, tabs, zero-width or bidi characters: 0 calls', async () => {
    const calls = upstream(h);
    for (const [i, name] of [
      'phone_number ',
      ' phone_number',
      'phone_number\t',
      'phone_\u200bnumber',
      'phone_number\u200b',
      '\u202ephone_number',
    ].entries())
      expect(codeOf(await h.graphql(signUp(`name.${i}`, [[name, premium]])))).toBe('BAD_USER_INPUT');
    expect(upstream(h) - calls).toBe(0);
  });

  // The gateway polices only `phone_number` spelled exactly; other casings and custom: names reach Cognito
  // unchecked. They send nothing: Cognito's attribute names are case-sensitive (an unknown one fails its
  // schema check) and codes only go to the standard attribute; the stand-in stores them and texts nobody.
  it('lets case variants and custom: copies of phone_number with a premium number reach the stand-in (4 calls) but no SMS is sent (0)', async () => {
    const calls = upstream(h, 'SignUp');
    for (const [i, name] of ['Phone_Number', 'PHONE_NUMBER', 'phone_Number', 'custom:phone_number'].entries())
      await h.graphql(signUp(`case.${i}`, [[name, premium]]));
    expect(upstream(h, 'SignUp') - calls).toBe(4);
    expect(sms(h)).toHaveLength(0);
  });

  it('refuses a premium or foreign number in the username on every sending call whatever the call (+, dash spellings): 0 calls', async () => {
    const calls = upstream(h);
    for (const username of [premium, '+44-909-879-0000', '+33612345678', '+447781123456'])
      for (const body of [signUp(username), resend({ username }), forgot(username)])
        expect(codeOf(await h.graphql(body))).toBe('PHONE_NUMBER_NOT_ALLOWED');
    expect(upstream(h) - calls).toBe(0);
  });

  // Usernames that are digits without a leading ASCII + are not phone usernames to Cognito (a pool that signs
  // in by phone requires E.164 with +); they reach it as plain usernames and no code goes to them.
  it('lets numbers without a leading ASCII + through as plain usernames (4 calls) and no SMS goes to them (0)', async () => {
    const calls = upstream(h, 'SignUp');
    for (const username of ['00449098790000', '449098790000', '＋449098790000', '(+44)9098790000'])
      await h.graphql(signUp(username, { phone_number: gbMobile(50 + username.length) }));
    expect(upstream(h, 'SignUp') - calls).toBe(4);
    expect(sms(h).filter((m) => m.destination.includes('9098790000'))).toHaveLength(0);
  });
});

describe('a sign-up whose username is the phone number', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { TRUST_PROXY: 'loopback', LIMIT_SMS_PER_HOUR: '2' },
      pool: { autoVerifiedAttributes: ['phone_number'] },
    });
  });
  afterAll(() => h.close());

  // HOLE (measured: 5 of 5 reached Cognito after the SMS budget was spent). signUp's destinations are its
  // attributes only; a username written as a phone number passes the policy but is no destination, so no
  // budget or destination cap applies. In a pool that signs in by phone (UsernameAttributes phone_number),
  // Cognito takes phone_number from the username and texts the code to it: each of these is a paid SMS.
  // (The stand-in does not model such pools, so it recorded the calls but sent no SMS.) Resends already count
  // the username as a destination (DestinationLinks.recall); signUp does not.
  // Fix: src/user-pool-calls/sign-up/call.ts signUpCall.destinations: add destinationKey(input.username) when
  // it is one (as recall does), so the budgets and the destination cap see it.
  it('refuses sign-ups with a phone-number username and no attributes once the SMS budget (2) is spent: 0 more reach Cognito', async () => {
    for (let i = 0; i < 2; i++)
      expect(
        codeOf(
          await h.graphql(signUp(`spent.${i}`, { phone_number: gbMobile(i) }), from(`192.0.2.${i + 1}`)),
        ),
      ).toBe('OK');
    expect(
      verdictOf(await h.graphql(signUp('spent.late', { phone_number: gbMobile(9) }), from('192.0.2.9'))),
    ).toBe('sms-hour');
    const calls = upstream(h, 'SignUp');
    for (let i = 0; i < 5; i++) await h.graphql(signUp(gbMobile(20 + i)), from(`198.51.100.${i + 1}`));
    expect(upstream(h, 'SignUp') - calls).toBe(0);
  });
});

describe('email and phone on one sign-up', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      env: { TRUST_PROXY: 'loopback', LIMIT_SMS_PER_HOUR: '6', LIMIT_EMAIL_PER_HOUR: '3' },
      pool: { autoVerifiedAttributes: ['email', 'phone_number'] },
    });
  });
  afterEach(() => h.close());

  // Cognito sends the code by SMS when the pool verifies both and the user gave both.
  it('keeps only the point of the medium used: 6 email+phone sign-ups send 6 SMS, 0 emails, and the email budget (3) then allows exactly 3 of 5', async () => {
    for (let i = 0; i < 6; i++)
      expect(
        codeOf(
          await h.graphql(
            signUp(`both.${i}`, { email: `both${i}@example.com`, phone_number: gbMobile(i) }),
            from(`192.0.2.${i + 1}`),
          ),
        ),
      ).toBe('OK');
    expect([emails(h).length, sms(h).length]).toEqual([0, 6]);
    const verdicts: string[] = [];
    for (let i = 0; i < 5; i++)
      verdicts.push(
        verdictOf(
          await h.graphql(
            signUp(`only.${i}`, { email: `only${i}@example.com` }),
            from(`198.51.100.${i + 1}`),
          ),
        ),
      );
    expect(verdicts).toEqual(['OK', 'OK', 'OK', 'email-hour', 'email-hour']);
    expect(emails(h)).toHaveLength(3);
  });

  it('gives a phone number no way round a spent email budget, and an email none round a spent SMS budget: 0 calls', async () => {
    for (let i = 0; i < 6; i++)
      await h.graphql(signUp(`mail.${i}`, { email: `m${i}@example.com` }), from(`192.0.2.${i + 1}`));
    for (let i = 0; i < 3; i++)
      await h.graphql(signUp(`text.${i}`, { phone_number: gbMobile(i) }), from(`192.0.2.${i + 11}`));
    const calls = upstream(h, 'SignUp');
    const res = await h.graphql(
      signUp('both.late', { email: 'late@example.com', phone_number: gbMobile(30) }),
      from('203.0.113.1'),
    );
    expect(codeOf(res)).toBe('RATE_LIMITED');
    expect(upstream(h, 'SignUp') - calls).toBe(0);
  });
});

describe('email addresses the gateway cannot parse', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { TRUST_PROXY: 'loopback', LIMIT_EMAIL_PER_HOUR: '3' },
      pool: { autoVerifiedAttributes: ['email'] },
    });
  });
  afterAll(() => h.close());

  // HOLE (measured: 8 of 8 sent after the email budget of 3 was spent). An address without a dot in its
  // domain (`x@localhost`, `x@ai`) fails destination.ts's EMAIL pattern, so its key is `d:?:` (kind unknown),
  // which checksFor counts in no budget; Cognito (and the stand-in, loose on purpose) accepts it and
  // DeliveryMedium EMAIL is only added to the total afterwards. Bounces to such addresses also hurt the SES
  // sender reputation. The same applies to any email or phone_number text destinationKey cannot parse.
  // Fix: src/limits/abuse-limiter.ts AbuseLimiter.checksFor: a destination of unknown kind takes a point of
  // both totals (`sms`, `email`), which settle() already gives back for the medium not used.
  it('counts dotless-domain addresses in the email budget (3): none sent once it is spent', async () => {
    const spend: string[] = [];
    for (let i = 0; i < 4; i++)
      spend.push(
        verdictOf(
          await h.graphql(signUp(`dotted.${i}`, { email: `d${i}@example.com` }), from(`192.0.2.${i + 1}`)),
        ),
      );
    expect(spend).toEqual(['OK', 'OK', 'OK', 'email-hour']);
    const verdicts: string[] = [];
    for (let i = 0; i < 8; i++)
      verdicts.push(
        verdictOf(
          await h.graphql(
            signUp(`dotless.${i}`, { email: `victim${i}@localhost` }),
            from(`198.51.100.${i + 1}`),
          ),
        ),
      );
    expect(emails(h).filter((m) => m.destination.endsWith('@localhost'))).toHaveLength(0);
    expect(ok(verdicts)).toBe(0);
  });
});

describe('races and aliases against a budget', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      env: { TRUST_PROXY: 'loopback', LIMIT_SMS_PER_COUNTRY_PER_HOUR: '5', LIMIT_SMS_PER_HOUR: '100' },
      pool: { autoVerifiedAttributes: ['phone_number'] },
    });
  });
  afterEach(() => h.close());

  it('lets 5 of 40 parallel sign-ups from 40 IPs reach Cognito under a country budget of 5 (5 calls, 5 SMS)', async () => {
    const verdicts = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        h
          .graphql(signUp(`burst.${i}`, { phone_number: gbMobile(i) }), from(`203.0.113.${i + 1}`))
          .then(verdictOf),
      ),
    );
    expect(ok(verdicts)).toBe(5);
    expect(verdicts.filter((v) => v === 'sms-country-hour')).toHaveLength(35);
    expect(upstream(h, 'SignUp')).toBe(5);
    expect(sms(h)).toHaveLength(5);
  });

  it('lets 5 of 48 sign-ups through when sent as 8 parallel requests of 6 aliased signUp fields (5 calls, 5 SMS)', async () => {
    // Its own document on purpose: six aliased signUp fields, each with an input variable of its own.
    const fields = Array.from(
      { length: 6 },
      (_, f) => `${f === 0 ? '' : `a${f}: `}signUp(input: $i${f}) { userSub }`,
    ).join('\n');
    const requests = Array.from({ length: 8 }, (_, r) => {
      const variables = Object.fromEntries(
        Array.from({ length: 6 }, (_, f) => [
          `i${f}`,
          signUpInput(`alias.${r}.${f}`, { phone_number: gbMobile(r * 6 + f) }),
        ]),
      );
      const declarations = Array.from({ length: 6 }, (_, f) => `$i${f}: SignUpInput!`).join(', ');
      return h.graphql(
        { query: `mutation A(${declarations}) { ${fields} }`, variables },
        from(`198.51.100.${r + 1}`),
      );
    });
    await Promise.all(requests);
    expect(upstream(h, 'SignUp')).toBe(5);
    expect(sms(h)).toHaveLength(5);
  });

  it('sends at most 5 SMS when 20 refundable email+phone sign-ups race 20 SMS-only ones under a budget of 5 (measured 4: points held by the refundable ones refuse some real SMS sign-ups meanwhile)', async () => {
    await h.close();
    h = await startHarness({
      env: { TRUST_PROXY: 'loopback', LIMIT_SMS_PER_HOUR: '5', LIMIT_SMS_PER_COUNTRY_PER_HOUR: '5' },
      pool: { autoVerifiedAttributes: ['email', 'phone_number'] },
    });
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        h.graphql(
          signUp(
            `mixed.${i}`,
            i % 2 === 0
              ? { phone_number: gbMobile(i) }
              : { email: `x${i}@example.com`, phone_number: gbMobile(i) },
          ),
          from(`203.0.113.${i + 1}`),
        ),
      ),
    );
    expect(sms(h).length).toBeLessThanOrEqual(5);
  });
});

describe('codes to users the gateway never saw sign up', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      env: { TRUST_PROXY: 'loopback', LIMIT_SMS_PER_HOUR: '3', LIMIT_SMS_PER_COUNTRY_PER_HOUR: '3' },
      pool: { autoVerifiedAttributes: ['phone_number'] },
    });
  });
  afterEach(() => h.close());

  // HOLE (measured: 10 SMS for a total budget of 3; the budget counter reads 10 afterwards). A user without a
  // destination link (created outside the gateway, signed up through it more than 24 h ago, a `sub` used as
  // the username in pools that sign in by email or phone, or any user after a memory-mode restart) takes no
  // budget point before the call (checksFor yields no `sms`/`email` key), and the code is only added after
  // it was sent: the budget fills but never refuses them. A botnet that signed up numbers yesterday at the
  // budget's pace gets 5 resends and 5 reset codes per user per hour today, unbudgeted.
  // Fix: src/limits/abuse-limiter.ts AbuseLimiter.checksFor: with no known destination on a sending call,
  // take a point of both totals (`sms` and `email`) before the call; settle() already gives back the one the
  // answer's DeliveryMedium did not use (countUnforeseen then becomes unnecessary).
  it('holds resends for 10 users it never saw to the SMS budget (3)', async () => {
    for (let i = 0; i < 10; i++) await seed(h, `elsewhere.${i}`, { phone_number: gbMobile(i) });
    h.standIn.outbox.clear();
    const verdicts: string[] = [];
    for (let i = 0; i < 10; i++)
      verdicts.push(
        verdictOf(await h.graphql(resend({ username: `elsewhere.${i}` }), from(`203.0.113.${i + 1}`))),
      );
    // The budget is spent all the same: a sign-up with a number is refused by it.
    expect(
      verdictOf(await h.graphql(signUp('after', { phone_number: gbMobile(99) }), from('203.0.113.99'))),
    ).toBe('sms-hour');
    expect(sms(h).length).toBeLessThanOrEqual(3);
  });

  // HOLE (measured: 6 reset SMS for a total budget of 3), the same gap through forgotPassword.
  it('holds password-reset codes for 6 confirmed users it never saw to the SMS budget (3)', async () => {
    for (let i = 0; i < 6; i++) {
      const username = `reset.${i}`;
      await seed(h, username, { phone_number: gbMobile(i) });
      const code = h.standIn.outbox.latestCode(username);
      const confirmed = await h.graphql(confirmSignUp({ username, confirmationCode: code }));
      expect(codeOf(confirmed)).toBe('OK');
    }
    h.standIn.outbox.clear();
    for (let i = 0; i < 6; i++) await h.graphql(forgot(`reset.${i}`), from(`198.51.100.${i + 1}`));
    expect(sms(h).length).toBeLessThanOrEqual(3);
  });

  it('counts simulated deliveries: 3 resends for unknown usernames (0 codes sent) spend an email budget of 3, and a real email sign-up is then refused (a documented cost-free way to pause email codes)', async () => {
    await h.close();
    h = await startHarness({
      env: { TRUST_PROXY: 'loopback', LIMIT_EMAIL_PER_HOUR: '3' },
      pool: { autoVerifiedAttributes: ['email'], preventUserExistenceErrors: true },
    });
    for (let i = 0; i < 3; i++)
      expect(codeOf(await h.graphql(resend({ username: `ghost.${i}` }), from(`192.0.2.${i + 1}`)))).toBe(
        'OK',
      );
    expect(h.standIn.outbox.list()).toHaveLength(0);
    expect(
      verdictOf(await h.graphql(signUp('real', { email: 'real@example.com' }), from('192.0.2.50'))),
    ).toBe('email-hour');
  });
});

describe('budget points kept or given back by how the call ended', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      env: {
        TRUST_PROXY: 'loopback',
        LIMIT_SMS_PER_HOUR: '3',
        COGNITO_REQUEST_TIMEOUT_MS: '300',
        COGNITO_MAX_ATTEMPTS: '1',
      },
      pool: { autoVerifiedAttributes: ['phone_number'] },
    });
  });
  afterEach(() => h.close());

  const attempts = async (prefix: string, n: number) => {
    const verdicts: string[] = [];
    for (let i = 0; i < n; i++)
      verdicts.push(
        verdictOf(
          await h.graphql(signUp(`${prefix}.${i}`, { phone_number: gbMobile(i) }), from(`192.0.2.${i + 1}`)),
        ),
      );
    return verdicts;
  };

  it.each([
    ['a dropped connection', { dropRate: 1 }],
    ["a load balancer's HTML 502 page", { htmlErrorRate: 1 }],
    ['a timeout after the request was sent', { latencyMs: 1_000 }],
  ])(
    'keeps the point after %s (Cognito may have sent): 3 faulted sign-ups spend the budget of 3, the next clean one is refused',
    async (_, fault) => {
      h.standIn.faults.set({ actions: ['SignUp'], ...fault });
      const faulted = await attempts('faulted', 3);
      expect(faulted.every((v) => v === 'UPSTREAM_UNAVAILABLE')).toBe(true);
      h.standIn.faults.clear();
      expect(await attempts('clean', 1)).toEqual(['sms-hour']);
    },
  );

  it('gives the point back only where Cognito certainly sent nothing (throttled, user exists, no delivery): the budget of 3 is whole afterwards', async () => {
    h.standIn.faults.set({ actions: ['SignUp'], throttleRate: 1 });
    const throttled = await attempts('throttled', 3);
    expect(throttled.every((v) => v !== 'OK' && v !== 'sms-hour')).toBe(true);
    h.standIn.faults.clear();
    await seed(h, 'taken', { phone_number: gbMobile(40) });
    for (let i = 0; i < 3; i++)
      expect(
        codeOf(await h.graphql(signUp('taken', { phone_number: gbMobile(41) }), from(`198.51.100.${i + 1}`))),
      ).toBe('USERNAME_EXISTS');
    h.standIn.outbox.clear();
    expect(await attempts('clean', 4)).toEqual(['OK', 'OK', 'OK', 'sms-hour']);
    expect(sms(h)).toHaveLength(3);
  });
});

describe('number types and shared calling codes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { TRUST_PROXY: 'loopback', SMS_ALLOWED_COUNTRIES: 'GB,US,RU,KZ', SMS_BLOCKED_COUNTRIES: 'RU' },
      pool: { autoVerifiedAttributes: ['phone_number'] },
    });
  });
  afterEach(() => h.standIn.outbox.clear());
  afterAll(() => h.close());
  let n = 0;
  const attempt = (phone: string) => {
    n += 1;
    return h.graphql(signUp(`type.${n}`, { phone_number: phone }), from(`192.0.2.${(n % 250) + 1}`));
  };

  it('refuses territories sharing +44, +1 and +7 unless allowed by name (JE, GG, IM, CA, BS, JM) and blocks RU without blocking KZ: 0 calls for the 6', async () => {
    const calls = upstream(h);
    for (const phone of [
      '+447797123456',
      '+447781123456',
      '+447624123456',
      '+16135550123',
      '+12423570000',
      '+18762101234',
    ])
      expect(errorOf(await attempt(phone)).extensions, phone).toEqual({
        code: 'PHONE_NUMBER_NOT_ALLOWED',
        reason: 'country',
      });
    expect(codeOf(await attempt('+79161234567'))).toBe('PHONE_NUMBER_NOT_ALLOWED');
    expect(upstream(h) - calls).toBe(0);
    expect(codeOf(await attempt('+77011234567'))).toBe('OK');
  });

  it('refuses non-geographic numbers (+870 Inmarsat, +881 satellite, +882/+883 international networks, +800, +979): 0 calls', async () => {
    const calls = upstream(h);
    for (const phone of [
      '+870773111632',
      '+881612345678',
      '+88213600000',
      '+883510012345',
      '+80012345678',
      '+979123456789',
    ])
      expect(codeOf(await attempt(phone))).toBe('PHONE_NUMBER_NOT_ALLOWED');
    expect(upstream(h) - calls).toBe(0);
  });

  it('lets MOBILE and FIXED_LINE_OR_MOBILE numbers through (2 calls, 2 SMS)', async () => {
    expect(codeOf(await attempt(gbMobile(1)))).toBe('OK');
    expect(codeOf(await attempt('+12025550123'))).toBe('OK');
    expect(sms(h)).toHaveLength(2);
  });

  // HOLE (measured: 1 call and 1 SMS each). Only PREMIUM_RATE, SHARED_COST and unknown types are refused.
  // None of these types is a handset a user reads a code on, and several are how toll fraud is paid out: UK
  // 070 personal numbers forward anywhere (a long-standing premium-rate scam range), VoIP and UAN ranges are
  // leased in bulk to the same traffic pumpers, pagers, toll-free and voicemail numbers cannot take an SMS
  // at all, and a fixed line only through text-to-voice, which costs more. Recommendation: refuse by
  // default everything but MOBILE and FIXED_LINE_OR_MOBILE (the type libphonenumber gives where it cannot
  // tell, e.g. all of +1), with a setting (say SMS_ALLOWED_NUMBER_TYPES) to re-allow FIXED_LINE for a
  // service that wants text-to-landline. Fix: src/spend-guard/phone-policy.ts: replace REFUSED_TYPES with an
  // allowed set { MOBILE, FIXED_LINE_OR_MOBILE } tested in phoneRefusal.
  it.each([
    ['PERSONAL_NUMBER (UK 070)', '+447012345678'],
    ['VOIP (UK 056)', '+445612345678'],
    ['UAN (UK 030)', '+443031234567'],
    ['PAGER (UK 076)', '+447640123456'],
    ['TOLL_FREE (UK 0800)', '+448001234567'],
    ['TOLL_FREE (US 800)', '+18002345678'],
    ['FIXED_LINE (UK 0121)', '+441212345678'],
  ])('refuses a %s number by type: no call, no SMS', async (_, phone) => {
    const calls = upstream(h, 'SignUp');
    const res = await attempt(phone);
    expect({
      reason: errorOf(res)?.extensions.reason,
      calls: upstream(h, 'SignUp') - calls,
      sms: sms(h).length,
    }).toEqual({
      reason: 'type',
      calls: 0,
      sms: 0,
    });
  });
});

describe('what an attacker can learn or inflate: messages, logs, metrics, warnings', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: {
        TRUST_PROXY: 'loopback',
        SMS_BLOCKED_COUNTRIES: 'RU',
        LIMIT_SMS_PER_COUNTRY_PER_HOUR: '10',
        LIMIT_SMS_PER_HOUR: '300',
        LIMIT_DESTINATION_PER_HOUR: '1',
      },
      pool: { autoVerifiedAttributes: ['phone_number'] },
    });
  });
  afterAll(() => h.close());
  const metrics = async () => (await fetch(new URL('/metrics', h.url))).text();

  it('never echoes a number in an answer, a log line or a metric, whether refused by policy, by budget, by the destination cap, or sent', async () => {
    const numbers = [
      '+449098790000', // premium-rate: type
      '+79161234567', // blocked country
      '+44791', // invalid
      '+4407400999999', // trunk spelling
      gbMobile(700), // sent, then refused by the destination cap
    ];
    const bodies: string[] = [];
    for (const [i, phone] of numbers.entries())
      for (let k = 0; k < 2; k++) {
        const res = await h.graphql(
          signUp(`leak.${i}.${k}`, { phone_number: phone }),
          from(`192.0.2.${i * 2 + k + 1}`),
        );
        bodies.push(JSON.stringify(res.body));
      }
    const text = [...bodies, ...h.logs, await metrics()].join('\n');
    for (const phone of numbers) {
      expect(text).not.toContain(phone);
      expect(text).not.toContain(phone.slice(1));
    }
  });

  it('keeps metric labels bounded: 200 sign-ups with numbers of 40 countries and junk create at most one label per country (measured alone: 41 budget labels, 40 codes_sent labels; no label from unknown root fields)', async () => {
    const countries = [
      '+33612345678',
      '+4915123456789',
      '+34612345678',
      '+393123456789',
      '+31612345678',
      '+32470123456',
      '+41781234567',
      '+43664123456',
      '+48512345678',
      '+420601123456',
      '+36201234567',
      '+40712345678',
      '+359881234567',
      '+30691234567',
      '+351912345678',
      '+46701234567',
      '+4741234567',
      '+4520123456',
      '+358401234567',
      '+353851234567',
      '+380501234567',
      '+905012345678',
      '+972501234567',
      '+971501234567',
      '+966501234567',
      '+201001234567',
      '+2348031234567',
      '+27821234567',
      '+254712345678',
      '+919812345678',
      '+923001234567',
      '+8801712345678',
      '+66812345678',
      '+84912345678',
      '+639171234567',
      '+6281234567890',
      '+60123456789',
      '+6591234567',
      '+61412345678',
      '+64211234567',
    ];
    let i = 0;
    for (const phone of countries)
      for (let k = 0; k < 4; k++) {
        i += 1;
        // Same number 4 times: the destination cap (1) lets one through; the others are refused.
        await h.graphql(signUp(`label.${i}`, { phone_number: phone }), from(`198.51.100.${(i % 250) + 1}`));
      }
    for (let j = 0; j < 40; j++) await h.graphql(signUp(`junk.${j}`, { phone_number: `+99${j}123456789` }));
    // Unknown root fields never reach the metrics' operation label.
    for (let j = 0; j < 20; j++) await h.graphql({ query: `mutation { field${j}(x: 1) }` });
    const text = await metrics();
    const budgetLabels = new Set(text.match(/gateway_send_budget_used_ratio\{budget="[^"]*"\}/g));
    const sentLabels = new Set(text.match(/gateway_codes_sent_total\{[^}]*\}/g));
    const operationLabels = new Set(text.match(/operation="[^"]*"/g));
    expect(budgetLabels.size).toBeLessThanOrEqual(countries.length + 3);
    expect(sentLabels.size).toBeLessThanOrEqual(countries.length + 2);
    expect([...operationLabels].some((l) => l.includes('field'))).toBe(false);
  });

  it('logs one 80 % warning per budget and window, however often the attacker pushes past it (12 pushes: 1 warning)', async () => {
    for (let j = 0; j < 12; j++)
      await h.graphql(
        signUp(`warn.${j}`, { phone_number: `+3361234${String(6_000 + j)}` }),
        from(`203.0.113.${j + 1}`),
      );
    expect(h.logs.filter((l) => l.includes('send budget sms-country-hour:FR is'))).toHaveLength(1);
  });
});

describe('the 80 % warning and gauge after points given back', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { TRUST_PROXY: 'loopback', LIMIT_EMAIL_PER_HOUR: '10' },
      pool: { autoVerifiedAttributes: ['email', 'phone_number'] },
    });
  });
  afterAll(() => h.close());

  // HOLE, low severity (measured: the warning logged and the gauge left at 1 with 0 SMS sent; during the
  // burst, SMS sign-ups of real users are refused "for everyone"). Budgets are observed when a point is taken,
  // before Cognito answers; a burst of email+phone sign-ups (their code goes by email, so every SMS point is
  // given back) holds the whole SMS budget for the length of a Cognito call: a false alarm, a gauge that stays
  // wrong until the next count, and a pause of SMS codes for as long as the attacker keeps the burst going.
  // Fix: src/limits/abuse-limiter.ts AbuseLimiter.consume: observe a budget in settle(), after the points the
  // outcome does not justify were given back (observe the reward's result too), not on consume.
  // Since the stand-in sends by SMS when both are verified (as Cognito does), the burst's email points are the
  // ones given back.
  it('raises no warning and leaves the gauge below 0.8 when every email point of a burst was given back', async () => {
    h.standIn.faults.set({ actions: ['SignUp'], latencyMs: 300 });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        h.graphql(
          signUp(`reserve.${i}`, { email: `r${i}@example.com`, phone_number: gbMobile(i) }),
          from(`192.0.2.${i + 1}`),
        ),
      ),
    );
    h.standIn.faults.clear();
    const text = await (await fetch(new URL('/metrics', h.url))).text();
    const gauge = Number(
      /gateway_send_budget_used_ratio\{budget="email-hour"\} ([\d.]+)/.exec(text)?.[1] ?? 0,
    );
    expect({
      sent: emails(h).length,
      warned: h.logs.some((l) => l.includes('send budget email-hour is')),
      gaugeBelowWarning: gauge < 0.8,
    }).toEqual({ sent: 0, warned: false, gaugeBelowWarning: true });
  });
});

const SKIP_REDIS = skipWithoutRedis('spend-guard attacks');

describe.skipIf(SKIP_REDIS)('send budgets when Redis dies mid-attack', () => {
  let redis: RedisInstance;
  let h: Harness;
  const env = (url: string) => ({
    TRUST_PROXY: 'loopback',
    REDIS_URL: url,
    LIMIT_SMS_PER_COUNTRY_PER_HOUR: '6',
    LIMIT_SMS_PER_HOUR: '100',
  });
  beforeEach(async () => {
    redis = await startRedis();
    h = await startHarness({ env: env(redis.url), pool: { autoVerifiedAttributes: ['phone_number'] } });
  });
  afterEach(async () => {
    await h.close();
    await redis.stop();
  });

  const burst = async (target: GatewayHarness, prefix: string, n: number, offset = 0) => {
    const verdicts: string[] = [];
    for (let i = 0; i < n; i++)
      verdicts.push(
        verdictOf(
          await target.graphql(
            signUp(`${prefix}.${i}`, { phone_number: gbMobile(offset + i) }),
            from(`203.0.113.${((offset + i) % 250) + 1}`),
          ),
        ),
      );
    return verdicts;
  };

  it('keeps one instance at its budget of 6 through a kill and an empty restart: 3 before, 3 of 10 during the outage, 0 of 5 after', async () => {
    expect(ok(await burst(h, 'before', 3))).toBe(3);
    redis.kill();
    await redis.exited;
    expect(ok(await burst(h, 'during', 10, 10))).toBe(3);
    const fresh = await startRedis(redis.port);
    redis = fresh;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(ok(await burst(h, 'after', 5, 30))).toBe(0);
    expect(sms(h)).toHaveLength(6);
  }, 30_000);

  // A known bound, not a hole closed (measured: 9 SMS for a shared budget of 6 with 2 instances). While Redis
  // is unusable, each instance counts from its own shadow, which holds what it last saw of each key, so each
  // instance may spend what it believes is left: N instances get up to N times the remainder, never a reset
  // budget. Failing closed would stop every code during a Redis blip (a command slower than 250 ms counts as an
  // outage). Documented in docs/security.md; the closing note proposes REDIS_FAILOVER_INSTANCES.
  it('keeps each of two instances within the shared budget of 6 when Redis dies: at most 2 x 6 in all, never a reset (measured: 9 SMS)', async () => {
    const second = await startGatewayHarness(
      { url: h.standIn.url, poolId: h.poolId, clientId: h.clientId, clientSecret: h.clientSecret },
      { env: env(redis.url) },
    );
    try {
      // 4 of 6 spent, alternating: each instance's shadow saw its own last count (3 and 4).
      for (let i = 0; i < 4; i++) await burst(i % 2 === 0 ? h : second, `shared.${i}`, 1, i);
      expect(sms(h)).toHaveLength(4);
      redis.kill();
      await redis.exited;
      for (let i = 0; i < 20; i++) await burst(i % 2 === 0 ? h : second, `outage.${i}`, 1, 20 + i);
      // Each instance stops at the budget as its own shadow counts it.
      expect(sms(h).length).toBeGreaterThan(4);
      expect(sms(h).length).toBeLessThanOrEqual(2 * 6);
    } finally {
      await second.close();
    }
  }, 30_000);
});
