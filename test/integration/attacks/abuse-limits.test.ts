// The abuse limits tried the way an attacker would get around them, over HTTP with production's limits,
// counting what reached Cognito: many usernames for one inbox, other spellings of it, other IPs; wrong
// confirms from a stranger's IP to lock a user out; resends after confirmation.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from '../../support/answers';
import { type Harness, startHarness } from '../../support/gateway-harness';
import { confirmSignUp, resend, signUpWith } from '../../support/user-pool-requests';

/** Production's defaults, with a 1 s cooldown so that a test can wait it out. */
const LIMITS = {
  TRUST_PROXY: 'loopback',
  LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '1',
  LIMIT_RESEND_USERNAME_PER_HOUR: '5',
  LIMIT_RESEND_IP_PER_HOUR: '30',
  LIMIT_SIGN_UP_IP_PER_HOUR: '10',
  LIMIT_DESTINATION_PER_HOUR: '5',
  LIMIT_CONFIRM_IP_PER_HOUR: '60',
  LIMIT_CONFIRM_FAILURES_USERNAME_IP_PER_HOUR: '5',
  LIMIT_CONFIRM_FAILURES_USERNAME_PER_HOUR: '100',
};

const from = (ip: string) => ({ 'x-forwarded-for': ip });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const signUp = (username: string, email: string) => signUpWith(username, { email });
const confirm = (username: string, confirmationCode: string) => confirmSignUp({ username, confirmationCode });

describe('one inbox bombed through many usernames', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: LIMITS });
  });
  afterEach(() => {
    h.standIn.outbox.clear();
  });
  afterAll(() => h.close());

  const codesTo = (inbox: RegExp) => h.standIn.outbox.list().filter((m) => inbox.test(m.destination)).length;

  async function bomb(run: string, ips: string[], spellings: (i: number) => string): Promise<string[]> {
    const usernames: string[] = [];
    for (const [n, ip] of ips.entries()) {
      for (let i = 0; i < 10; i++) {
        const username = `${run}.${n}.${i}`;
        if (codeOf(await h.graphql(signUp(username, spellings(i)), from(ip))) === 'OK')
          usernames.push(username);
      }
    }
    for (let round = 0; round < 3; round++) {
      await sleep(1_100); // past every username's cooldown
      for (const [n, ip] of ips.entries())
        for (let i = 0; i < 10; i++) await h.graphql(resend({ username: `${run}.${n}.${i}` }), from(ip));
    }
    return usernames;
  }

  it('sends at most 5 codes an hour to one address from one IP, signUp codes included', async () => {
    await bomb('one-ip', ['198.51.100.1'], () => 'victim1@example.com');
    expect(codesTo(/^victim1@example\.com$/)).toBe(5);
  });

  it('sends at most 5 from 5 IPs, with the address spelled differently each time', async () => {
    const ips = ['198.51.100.11', '198.51.100.12', '198.51.100.13', '198.51.100.14', '198.51.100.15'];
    const spellings = [
      'victim2@example.com',
      'VICTIM2@Example.COM',
      'victim2+x@example.com',
      ' Victim2+bomb@example.com',
    ];
    await bomb('five-ips', ips, (i) => spellings[i % spellings.length] ?? '');
    expect(codesTo(/^ ?victim2(\+[a-z]+)?@example\.com$/i)).toBe(5);
  });

  it('counts a username that is itself the address against that address', async () => {
    for (let i = 0; i < 4; i++)
      await h.graphql(signUp(`alias.${i}`, 'victim3@example.com'), from('198.51.100.21'));
    // A pool that signs in by email: the username is the inbox, and its own sign-up is the fifth code.
    expect(
      codeOf(await h.graphql(signUp('victim3@example.com', 'victim3@example.com'), from('198.51.100.22'))),
    ).toBe('OK');
    await sleep(1_100);
    expect(codeOf(await h.graphql(resend({ username: 'Victim3@Example.com' }), from('198.51.100.23')))).toBe(
      'RATE_LIMITED',
    );
    expect(codesTo(/^victim3@example\.com$/)).toBe(5);
  });
});

describe("moving a username's codes off the victim's inbox", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: LIMITS });
  });
  afterAll(() => h.close());

  const toVictim = (harness: Harness, inbox: string) =>
    harness.standIn.outbox.list().filter((m) => m.destination === inbox).length;

  async function collide(
    harness: Harness,
    victimName: (i: number) => string,
    twinName: (i: number) => string,
    inbox: string,
  ) {
    for (let i = 0; i < 5; i++) {
      // The victim's user, then another Cognito user whose limit key is the same (the gateway folds more
      // than the pool compares), signed up with a throw-away address.
      await harness.graphql(signUp(victimName(i), inbox), from('198.51.100.31'));
      await harness.graphql(signUp(twinName(i), `throw${i}@attacker.test`), from('198.51.100.32'));
    }
    for (let round = 0; round < 4; round++) {
      await sleep(1_100);
      for (let i = 0; i < 5; i++)
        await harness.graphql(resend({ username: victimName(i) }), from(`198.51.100.${40 + round}`));
    }
  }

  it('keeps counting resends against the inbox learned first when a colliding username signs up elsewhere', async () => {
    await collide(
      h,
      (i) => `sbomb${i}`,
      (i) => `\u017fbomb${i}`,
      'victim4@example.com',
    );
    expect(toVictim(h, 'victim4@example.com')).toBe(5);
  });

  it('does the same in a case-sensitive pool, where Bomb and bomb are two users', async () => {
    const c = await startHarness({ env: LIMITS, pool: { usernameCaseSensitive: true } });
    try {
      await collide(
        c,
        (i) => `bomb${i}`,
        (i) => `BOMB${i}`,
        'victim5@example.com',
      );
      expect(toVictim(c, 'victim5@example.com')).toBe(5);
    } finally {
      await c.close();
    }
  });

  // Before the links kept one account per identifier, eight twins filled the key's link past its bound and every
  // resend of it was refused (fail closed); the first account now keeps the key, so the twins never fill it.
  it('leaves a username key to the first account linked to it: later twins neither fill it nor free its resends, and an error names the setting', async () => {
    const c = await startHarness({ env: LIMITS, pool: { usernameCaseSensitive: true } });
    try {
      const twins = ['FILL', 'Fill', 'fILL', 'FiLL', 'fIll', 'FIll', 'fiLL', 'filL'];
      for (const [i, name] of twins.entries())
        expect(
          codeOf(await c.graphql(signUp(name, `filler${i}@attacker.test`), from(`198.51.100.${60 + i}`))),
        ).toBe('OK');
      expect(codeOf(await c.graphql(signUp('fill', 'victim7@example.com'), from('198.51.100.69')))).toBe(
        'OK',
      );
      expect(c.logs.some((l) => l.includes('already linked to another account'))).toBe(true);
      // Every resend of the key still counts against the first account's inbox and limits: 5 an hour at most.
      for (let round = 0; round < 3; round++) {
        await sleep(1_100);
        for (const [i, name] of [...twins, 'fill'].entries())
          await c.graphql(resend({ username: name }), from(`198.51.100.${100 + round * 10 + i}`));
      }
      expect(
        c.standIn.calls.filter((call) => call.action === 'ResendConfirmationCode').length,
      ).toBeLessThanOrEqual(5);
    } finally {
      await c.close();
    }
  });

  it('counts an address it cannot parse as a destination of its own', async () => {
    for (let i = 0; i < 9; i++)
      await h.graphql(signUp(`nk${i}`, 'victim6@localhost'), from(`198.51.100.${80 + i}`));
    expect(toVictim(h, 'victim6@localhost')).toBe(5);
  });
});

describe('code guessing versus locking a user out', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: LIMITS });
  });
  afterAll(() => h.close());

  it("serves the real user's right code from another IP after a stranger's 10 wrong ones", async () => {
    await h.signUp('target');
    const stranger = [];
    for (let i = 0; i < 10; i++)
      stranger.push(codeOf(await h.graphql(confirm('target', `00000${i}`), from('203.0.113.66'))));
    expect(stranger).toEqual([...Array(5).fill('CODE_MISMATCH'), ...Array(5).fill('RATE_LIMITED')]);
    const right = h.standIn.outbox.latestCode('target') ?? '';
    const res = await h.graphql(confirm('target', right), from('198.51.100.7'));
    expect(res.body).toEqual({ data: { confirmSignUp: { confirmed: true, session: expect.any(String) } } });
  });

  it('takes 100 wrong codes from 20 IPs to lock a user out, and parallel guesses cannot overtake the limit', async () => {
    await h.signUp('besieged');
    h.standIn.calls.length = 0;
    const answers = await Promise.all(
      Array.from({ length: 22 }, (_, ip) =>
        Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            h.graphql(
              confirm('besieged', `9${String(ip).padStart(2, '0')}${i}00`),
              from(`192.0.2.${ip + 1}`),
            ),
          ),
        ),
      ),
    );
    const reached = h.standIn.calls.filter((c) => c.action === 'ConfirmSignUp').length;
    // 5 per IP reach Cognito, 100 in all; every other guess is refused before it.
    expect(reached).toBeLessThanOrEqual(100);
    expect(reached).toBeGreaterThanOrEqual(95);
    expect(answers.flat().filter((r) => codeOf(r) === 'CODE_MISMATCH')).toHaveLength(reached);
    const right = h.standIn.outbox.latestCode('besieged') ?? '';
    expect(codeOf(await h.graphql(confirm('besieged', right), from('198.51.100.8')))).toBe('RATE_LIMITED');
  });

  it("does not count a user's right code against them", async () => {
    await h.signUp('careful');
    for (let i = 0; i < 4; i++) await h.graphql(confirm('careful', `11111${i}`), from('198.51.100.9'));
    const right = h.standIn.outbox.latestCode('careful') ?? '';
    expect(codeOf(await h.graphql(confirm('careful', right), from('198.51.100.9')))).toBe('OK');
    // Confirmed users answer ALREADY_CONFIRMED, and that is not a failure either.
    for (let i = 0; i < 3; i++)
      expect(codeOf(await h.graphql(confirm('careful', right), from('198.51.100.9')))).toBe(
        'ALREADY_CONFIRMED',
      );
  });
});

describe('client addresses a trusted proxy passes on', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...LIMITS, LIMIT_SIGN_UP_IP_PER_HOUR: '3' } });
  });
  afterAll(() => h.close());

  it('refuses a client whose forwarded address is not one, instead of charging the proxy', async () => {
    const junk = ['unknown', 'garbage', '0300.0.0.1', '198.51.100.7:abc', '1.2.3', '::ffff:zz'];
    for (const [i, xff] of junk.entries())
      expect(codeOf(await h.graphql(signUp(`junk${i}`, `junk${i}@example.com`), from(xff)))).toBe(
        'FORBIDDEN',
      );
    expect(h.standIn.calls.filter((c) => c.action === 'SignUp')).toHaveLength(0);
    // The proxy's own requests, without the header, are still its own.
    expect(codeOf(await h.graphql(signUp('plain', 'plain@example.com')))).toBe('OK');
  });
});

describe('resends after confirmation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ...LIMITS, LIMIT_RESEND_USERNAME_COOLDOWN_SECONDS: '60' } });
  });
  afterAll(() => h.close());

  it('answers RATE_LIMITED within the cooldown, then ALREADY_CONFIRMED, which costs the username nothing', async () => {
    await h.signUp('done');
    expect(codeOf(await h.graphql(confirm('done', h.standIn.outbox.latestCode('done') ?? '')))).toBe('OK');
    // The sign-up code came from Cognito directly here, so the first resend is the first the gateway counts.
    expect(codeOf(await h.graphql(resend({ username: 'done' })))).toBe('ALREADY_CONFIRMED');
    for (let i = 0; i < 6; i++)
      expect(codeOf(await h.graphql(resend({ username: 'done' })))).toBe('ALREADY_CONFIRMED');
  });

  it('keeps the cooldown of a code that was sent before confirmation', async () => {
    await h.signUp('quick');
    expect(codeOf(await h.graphql(resend({ username: 'quick' })))).toBe('OK');
    expect(codeOf(await h.graphql(confirm('quick', h.standIn.outbox.latestCode('quick') ?? '')))).toBe('OK');
    const res = await h.graphql(resend({ username: 'quick' }));
    expect(codeOf(res)).toBe('RATE_LIMITED');
    expect(res.body.errors[0].extensions.retryAfterSeconds).toBeGreaterThan(50);
  });
});
