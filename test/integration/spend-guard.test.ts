// The spend guard tried the way an SMS-pumping botnet would: premium-rate and foreign numbers, many client
// IPs and fresh usernames, users the gateway never saw sign up. Counts what reached the stand-in and what it
// sent, over real HTTP with the real SDK.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { phoneRefusal } from '../../src/spend-guard/phone-policy';
import { codeOf, errorOf } from '../support/answers';
import { type Harness, startHarness } from '../support/gateway-harness';
import { forgotPassword, resend, signUpWith } from '../support/user-pool-requests';

const from = (ip: string) => ({ 'x-forwarded-for': ip });

const signUp = signUpWith;

/** Numbers by class, checked against libphonenumber's metadata by the unit tests. */
const NUMBERS = {
  gbMobile: (i: number) => `+447400${String(123_400 + i).padStart(6, '0')}`,
  frMobile: (i: number) => `+3361234${String(5_600 + i).padStart(4, '0')}`,
  usNumber: '+12025550123',
  gbPremiumRate: '+449098790000',
  ruMobile: '+79161234567',
  deMobile: '+4915123456789',
  tooShort: '+44791',
  notE164: '07911 123456',
};

const upstream = (h: Harness, action: string) => h.standIn.calls.filter((c) => c.action === action).length;

describe('phone-number policy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { SMS_ALLOWED_COUNTRIES: 'GB,US,FR,RU', SMS_BLOCKED_COUNTRIES: 'RU' },
      pool: { autoVerifiedAttributes: ['phone_number'] },
    });
  });
  afterAll(() => h.close());

  it('lets valid numbers of allowed countries reach Cognito', async () => {
    const before = upstream(h, 'SignUp');
    for (const [i, phone] of [NUMBERS.gbMobile(0), NUMBERS.frMobile(0), NUMBERS.usNumber].entries())
      expect(codeOf(await h.graphql(signUp(`allowed.${i}`, { phone_number: phone })))).toBe('OK');
    expect(upstream(h, 'SignUp') - before).toBe(3);
    expect(h.standIn.outbox.list().filter((m) => m.medium === 'SMS')).toHaveLength(3);
  });

  it.each([
    ['a premium-rate UK number', NUMBERS.gbPremiumRate, 'type', /premium-rate/],
    ['a number of a blocked country', NUMBERS.ruMobile, 'country', /country/],
    ['a number outside the allowed countries', NUMBERS.deMobile, 'country', /country/],
    ['an invalid number', NUMBERS.tooShort, 'invalid', /not a valid phone number/],
    ['a number not in E.164 format', NUMBERS.notE164, 'format', /E\.164/],
  ])(
    'refuses %s with PHONE_NUMBER_NOT_ALLOWED, naming the reason but never the number, and calls nobody',
    async (_, phone, reason, message) => {
      const calls = h.standIn.calls.length;
      const res = await h.graphql(signUp(`refused.${reason}.${phone.length}`, { phone_number: phone }));
      expect(errorOf(res).extensions).toEqual({ code: 'PHONE_NUMBER_NOT_ALLOWED', reason });
      expect(errorOf(res).message).toMatch(message);
      expect(JSON.stringify(res.body)).not.toContain(phone);
      expect(h.logs.join('\n')).not.toContain(phone);
      expect(h.standIn.calls.length).toBe(calls);
    },
  );

  it('checks a username written as a phone number on every call that sends a code', async () => {
    const calls = h.standIn.calls.length;
    for (const body of [
      signUp(NUMBERS.gbPremiumRate, { email: 'premium@example.com' }),
      resend({ username: NUMBERS.gbPremiumRate }),
      forgotPassword({ username: NUMBERS.ruMobile }),
    ])
      expect(codeOf(await h.graphql(body))).toBe('PHONE_NUMBER_NOT_ALLOWED');
    expect(h.standIn.calls.length).toBe(calls);
  });

  it('never lets a random string through as a phone number unless the policy accepts it (fast-check)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 20 }),
          fc.stringMatching(/^\+[0-9]{1,16}$/),
          fc.stringMatching(/^\+(44|1|33|7|49|881|979)[0-9 ]{4,12}$/),
        ),
        async (phone) => {
          n += 1;
          const calls = h.standIn.calls.length;
          const res = await h.graphql(signUp(`fuzz.${n}`, { phone_number: phone }));
          const accepted = phoneRefusal(phone, {
            allowedCountries: new Set(['GB', 'US', 'FR', 'RU']),
            blockedCountries: new Set(['RU']),
          });
          if (accepted !== undefined) {
            expect(codeOf(res)).toBe('PHONE_NUMBER_NOT_ALLOWED');
            expect(h.standIn.calls.length).toBe(calls);
          } else {
            expect(codeOf(res)).not.toBe('PHONE_NUMBER_NOT_ALLOWED');
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('send budgets against a botnet: many IPs, fresh usernames', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: {
        TRUST_PROXY: 'loopback',
        LIMIT_SIGN_UP_IP_PER_HOUR: '10',
        LIMIT_DESTINATION_PER_HOUR: '5',
        LIMIT_SMS_PER_COUNTRY_PER_HOUR: '10',
        LIMIT_SMS_PER_HOUR: '15',
        LIMIT_EMAIL_PER_HOUR: '1000',
      },
      pool: { autoVerifiedAttributes: ['phone_number', 'email'] },
    });
  });
  afterEach(() => h.standIn.outbox.clear());
  afterAll(() => h.close());

  const smsTo = (prefix: string) =>
    h.standIn.outbox.list().filter((m) => m.medium === 'SMS' && m.destination.startsWith(prefix)).length;

  it('stops SMS to one country at its budget from 50 IPs and 50 usernames, while another country and email pass', async () => {
    const results: string[] = [];
    for (let i = 0; i < 50; i++)
      results.push(
        codeOf(
          await h.graphql(
            signUp(`pump.gb.${i}`, { phone_number: NUMBERS.gbMobile(i) }),
            from(`203.0.113.${i + 1}`),
          ),
        ),
      );
    expect(results.filter((c) => c === 'OK')).toHaveLength(10);
    expect(results.filter((c) => c === 'RATE_LIMITED')).toHaveLength(40);
    expect(smsTo('+44')).toBe(10);
    expect(upstream(h, 'SignUp')).toBe(10);

    const refused = await h.graphql(
      signUp('pump.gb.late', { phone_number: NUMBERS.gbMobile(99) }),
      from('203.0.113.200'),
    );
    expect(errorOf(refused).extensions).toEqual({
      code: 'RATE_LIMITED',
      rule: 'sms-country-hour',
      retryAfterSeconds: expect.any(Number),
    });
    expect(errorOf(refused).extensions.retryAfterSeconds).toBeGreaterThan(3_000);

    // Another country still gets codes, until the total SMS budget (15) is spent...
    const fr: string[] = [];
    for (let i = 0; i < 10; i++)
      fr.push(
        codeOf(
          await h.graphql(
            signUp(`pump.fr.${i}`, { phone_number: NUMBERS.frMobile(i) }),
            from(`198.51.100.${i + 1}`),
          ),
        ),
      );
    expect(fr.filter((c) => c === 'OK')).toHaveLength(5);
    expect(smsTo('+33')).toBe(5);
    const total = await h.graphql(
      signUp('pump.fr.late', { phone_number: NUMBERS.frMobile(50) }),
      from('198.51.100.99'),
    );
    expect(errorOf(total).extensions.rule).toBe('sms-hour');

    // ...and email is not held up by either.
    for (let i = 0; i < 5; i++)
      expect(
        codeOf(
          await h.graphql(signUp(`mail.${i}`, { email: `user${i}@example.com` }), from(`192.0.2.${i + 1}`)),
        ),
      ).toBe('OK');
    expect(h.standIn.outbox.list().filter((m) => m.medium === 'EMAIL')).toHaveLength(5);

    const metrics = await (await fetch(new URL('/metrics', h.url))).text();
    expect(metrics).toMatch(/gateway_send_budget_used_ratio\{budget="sms-country-hour:GB"\} 1\b/);
    expect(metrics).toMatch(/gateway_send_budget_used_ratio\{budget="sms-hour"\} 1\b/);
    expect(metrics).toMatch(/gateway_codes_sent_total\{medium="SMS",country="GB"\} 10\b/);
    expect(metrics).toMatch(/gateway_codes_sent_total\{medium="SMS",country="FR"\} 5\b/);
    expect(metrics).toMatch(/gateway_codes_sent_total\{medium="EMAIL",country=""\} 5\b/);
    // One warning per budget as it passed 80 %, not one per request.
    const warnings = h.logs.filter((l) => l.includes('send budget sms-country-hour:GB is'));
    expect(warnings).toHaveLength(1);
  });
});

describe('send budgets count what Cognito says it sent', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({
      env: {
        TRUST_PROXY: 'loopback',
        LIMIT_SMS_PER_HOUR: '3',
        LIMIT_EMAIL_PER_HOUR: '3',
        LIMIT_SMS_PER_COUNTRY_PER_HOUR: '3',
      },
      pool: { autoVerifiedAttributes: ['email', 'phone_number'] },
    });
  });
  afterEach(() => h.close());

  it('keeps only the point of the medium a sign-up with an email and a phone number was sent by', async () => {
    // The stand-in, like Cognito with both verified, sends one code: 3 sign-ups leave the SMS budget unused.
    for (let i = 0; i < 3; i++)
      expect(
        codeOf(
          await h.graphql(
            signUp(`both.${i}`, { email: `both${i}@example.com`, phone_number: NUMBERS.gbMobile(i) }),
            from(`192.0.2.${i + 1}`),
          ),
        ),
      ).toBe('OK');
    const media = h.standIn.outbox.list().map((m) => m.medium);
    const sms = media.filter((m) => m === 'SMS').length;
    expect(sms + media.filter((m) => m === 'EMAIL').length).toBe(3);
    const next = await h.graphql(
      signUp('sms.only', { phone_number: NUMBERS.gbMobile(10) }),
      from('192.0.2.50'),
    );
    expect(codeOf(next)).toBe(sms < 3 ? 'OK' : 'RATE_LIMITED');
  });

  it('holds codes to users it never saw sign up to the budgets: an unknown destination counts in both totals until the answer says which', async () => {
    const seeded = ['seeded.0', 'seeded.1', 'seeded.2', 'seeded.3'];
    for (const [i, username] of seeded.entries())
      await h.signUp(username, { email: `seeded${i}@example.com` });
    h.standIn.outbox.clear();
    const replies: string[] = [];
    // The gateway knows nothing of these users: each resend takes a point from both totals, and the medium
    // Cognito answers (email) keeps its point and gives the other back.
    for (const [i, username] of seeded.entries()) {
      const res = await h.graphql(resend({ username }), from(`198.51.100.${i + 1}`));
      replies.push(errorOf(res)?.extensions.rule ?? codeOf(res));
    }
    expect(replies).toEqual(['OK', 'OK', 'OK', 'email-hour']);
    expect(h.standIn.outbox.list()).toHaveLength(3);
    // The email budget (3) is spent: a sign-up with an email is refused by it; the SMS budget is untouched.
    const email = await h.graphql(
      signUp('after.seeded', { email: 'after@example.com' }),
      from('198.51.100.50'),
    );
    expect(errorOf(email).extensions.rule).toBe('email-hour');
    const phone = await h.graphql(
      signUp('after.sms', { phone_number: NUMBERS.gbMobile(7) }),
      from('198.51.100.51'),
    );
    expect(codeOf(phone)).toBe('OK');
  });
});
